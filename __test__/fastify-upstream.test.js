'use strict'

// @fastify/cors 11.4.3's own tests (test/cors.test.js, hooks.test.js,
// preflight.test.js, from its npm tarball) run against rust-cors/fastify
// with only the plugin's require changed (scripts/upstream-fastify-cors-tests.sh),
// and against @fastify/cors itself, which proves the runner counts what it runs.

const { spawnSync } = require('child_process')
const path = require('path')

const root = path.join(__dirname, '..')
const script = path.join(root, 'scripts', 'upstream-fastify-cors-tests.sh')

function runSuite (plugin) {
  const env = { ...process.env }
  if (plugin) env.FASTIFY_CORS_PLUGIN = plugin
  const r = spawnSync('bash', [script], { cwd: root, env, encoding: 'utf8', timeout: 240000 })
  const summary = /upstream tests: (\d+) passing, (\d+) failing \(@fastify\/cors ([\d.]+)/.exec(r.stdout)
  return { status: r.status, output: r.stdout + r.stderr, summary }
}

describe('@fastify/cors 11.4.3 own tests', () => {
  test('pass against @fastify/cors itself (the runner is proven)', () => {
    const { status, output, summary } = runSuite(path.join(root, 'node_modules', '@fastify', 'cors'))
    expect(summary).not.toBeNull()
    expect({ status, passing: Number(summary[1]), failing: Number(summary[2]), version: summary[3] })
      .toEqual({ status: 0, passing: 63, failing: 0, version: '11.4.3' })
    expect(output).not.toMatch(/^not ok/m)
  })

  test('pass against rust-cors/fastify with only the require swapped', () => {
    const { status, output, summary } = runSuite(null)
    expect(output).toContain(path.join(root, 'lib', 'fastify.js'))
    expect(summary).not.toBeNull()
    expect({ status, passing: Number(summary[1]), failing: Number(summary[2]) })
      .toEqual({ status: 0, passing: 63, failing: 0 })
  })
})

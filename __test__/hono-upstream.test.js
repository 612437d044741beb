'use strict'

// hono's own CORS middleware tests (honojs/hono src/middleware/cors/
// index.test.ts, 25 tests), run by scripts/upstream-hono-cors-tests.sh with
// vitest 3: against hono/cors itself first (the runner finds and runs every
// test), then against rust-cors/hono with only the imports of the middleware
// and of Hono changed.

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const MIRROR = '/work/.mirror/honojs+hono/repo'
const SCRIPT = path.join(__dirname, '..', 'scripts', 'upstream-hono-cors-tests.sh')
const UPSTREAM_TESTS = 25

function run (module) {
  const result = spawnSync('bash', [SCRIPT, MIRROR], {
    env: { ...process.env, HONO_CORS_MODULE: module },
    encoding: 'utf8',
    timeout: 240000
  })
  const output = result.stdout + result.stderr
  const m = /^ {2}hono@4\.[\d.]+: (\d+) passing, (\d+) failing/m.exec(output)
  return { status: result.status, passing: m ? Number(m[1]) : null, failing: m ? Number(m[2]) : null, output }
}

const haveMirror = fs.existsSync(MIRROR)
if (!haveMirror) console.log(`skipped: no honojs/hono mirror at ${MIRROR}`)
const maybe = haveMirror ? test : test.skip

maybe('the runner runs all 25 tests against hono/cors itself', () => {
  const { status, passing, failing, output } = run('hono/cors')
  expect({ status, passing, failing }).toEqual({ status: 0, passing: UPSTREAM_TESTS, failing: 0 })
  expect(output).toContain('module under test: hono/cors')
})

maybe('rust-cors/hono passes all 25 of hono\'s cors tests', () => {
  const { status, passing, failing, output } = run('rust-cors/hono')
  if (status !== 0) console.log(output.slice(-4000))
  expect({ status, passing, failing }).toEqual({ status: 0, passing: UPSTREAM_TESTS, failing: 0 })
  expect(output).toContain('module under test: rust-cors/hono')
})

'use strict'

// @koa/cors 5.0.0's own suite (koajs/cors test/cors.test.js, 57 tests), run by
// scripts/upstream-koa-cors-tests.sh under Koa 2 and Koa 3: against the
// original first (the runner finds and runs every test), then against
// rust-cors/koa with only the require of the CORS module changed.

const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const MIRROR = '/work/.mirror/koajs+cors/repo'
const SCRIPT = path.join(__dirname, '..', 'scripts', 'upstream-koa-cors-tests.sh')
const UPSTREAM_TESTS = 57

function run (module) {
  const result = spawnSync('bash', [SCRIPT, MIRROR], {
    env: { ...process.env, KOA_CORS_MODULE: module },
    encoding: 'utf8',
    timeout: 240000
  })
  const output = result.stdout + result.stderr
  const counts = [...output.matchAll(/^ {2}koa@(\d+)\.[\d.]+: (\d+) passing, (\d+) failing/gm)]
    .map((m) => ({ major: Number(m[1]), passing: Number(m[2]), failing: Number(m[3]) }))
  return { status: result.status, counts, output }
}

const haveMirror = fs.existsSync(MIRROR)
if (!haveMirror) console.log(`skipped: no koajs/cors mirror at ${MIRROR}`)
const maybe = haveMirror ? test : test.skip

maybe('the runner runs all 57 tests against @koa/cors itself, under Koa 2 and Koa 3', () => {
  const { status, counts, output } = run('@koa/cors')
  expect({ status, counts }).toEqual({
    status: 0,
    counts: [{ major: 2, passing: UPSTREAM_TESTS, failing: 0 }, { major: 3, passing: UPSTREAM_TESTS, failing: 0 }]
  })
  expect(output).toContain('module under test: @koa/cors')
})

maybe('rust-cors/koa passes all 57 of @koa/cors 5.0.0\'s tests under Koa 2 and Koa 3', () => {
  const { status, counts, output } = run('rust-cors/koa')
  if (status !== 0) console.log(output.slice(-4000))
  expect({ status, counts }).toEqual({
    status: 0,
    counts: [{ major: 2, passing: UPSTREAM_TESTS, failing: 0 }, { major: 3, passing: UPSTREAM_TESTS, failing: 0 }]
  })
  expect(output).toContain('module under test: rust-cors/koa')
})

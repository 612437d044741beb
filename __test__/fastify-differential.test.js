'use strict'

// Differential test: @fastify/cors 11.4.3 and rust-cors/fastify side by side through fastify.inject()
// (the run itself is __test__/helpers/fastify-differential.js, in a plain node process: jest cannot
// load light-my-request). Random options in @fastify/cors's vocabulary, sloppy ones included
// (delegates, functions as options, origin functions, route config.cors), random requests
// (preflights, missing and odd origins, a handler that throws, a 404, an explicit OPTIONS route):
// register()'s outcome, and per request the status, every access-control-*, vary, content-length,
// content-type and cache-control header in order, and the body must be identical.
//
//   FASTIFY_DIFF_SEED=n    first seed (default 16406464 = 0xfa57c0); this seed and the next two run
//   FASTIFY_DIFF_CASES=n   cases per seed (default 300)
//   FASTIFY_DIFF_ONLY=i    run only case #i of the first seed (replay a printed mismatch)

const { spawnSync } = require('child_process')
const path = require('path')

const FIRST_SEED = process.env.FASTIFY_DIFF_SEED ? Number(process.env.FASTIFY_DIFF_SEED) : 0xfa57c0
const CASES = process.env.FASTIFY_DIFF_CASES ? Number(process.env.FASTIFY_DIFF_CASES) : 300
const ONLY = process.env.FASTIFY_DIFF_ONLY

function run (seed) {
  const args = [path.join(__dirname, 'helpers', 'fastify-differential.js'), String(seed), String(CASES)]
  if (ONLY !== undefined) args.push(ONLY)
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 540000, maxBuffer: 64 * 1024 * 1024 })
  if (r.status !== 0) throw new Error(`the differential run failed (exit ${r.status}):\n${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').pop())
}

describe('rust-cors/fastify answers exactly as @fastify/cors 11.4.3', () => {
  const seeds = ONLY !== undefined ? [FIRST_SEED] : [FIRST_SEED, FIRST_SEED + 1, FIRST_SEED + 2]
  for (const seed of seeds) {
    test(`seed ${seed}: ${ONLY !== undefined ? `case #${ONLY}` : `${CASES} cases`}, zero mismatches`, () => {
      const result = run(seed)
      if (result.mismatches > 0) {
        throw new Error(`${result.mismatches} of ${result.cases} cases differ (${result.requests} requests); first:\n${result.shown.join('\n\n')}`)
      }
      expect(result.mismatches).toBe(0)
      expect(result.requests).toBeGreaterThan(ONLY !== undefined ? 0 : CASES)
    }, 600000)
  }
})

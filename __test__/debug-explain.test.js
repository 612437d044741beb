'use strict'

// NODE_DEBUG=rust-cors and explain() judge through the same code: on the
// differential corpus (__test__/helpers/generate.js), every request that
// NODE_DEBUG reports as denied is one that explain() reports as not allowed,
// with the same codes, and vice versa. NODE_DEBUG is read when Node starts,
// so the corpus runs in a child process (helpers/debug-explain-child.js).

const path = require('node:path')
const { spawnSync } = require('node:child_process')

const CHILD = path.join(__dirname, 'helpers', 'debug-explain-child.js')

test('NODE_DEBUG and explain() agree on every request of the differential corpus', () => {
  const r = spawnSync(process.execPath, ['--no-warnings', CHILD], {
    env: { ...process.env, NODE_DEBUG: 'rust-cors', CORPUS_CASES: '10000' },
    encoding: 'utf8',
    timeout: 300000,
    maxBuffer: 64 * 1024 * 1024
  })
  const lines = (r.stderr || '').trim().split('\n')
  let stats
  try {
    stats = JSON.parse(lines[lines.length - 1])
  } catch {
    throw new Error(`the corpus run did not finish (status ${r.status}, signal ${r.signal}):\n${r.stderr.slice(-4000)}`)
  }
  console.log(`NODE_DEBUG vs explain(): ${stats.compared} requests compared (${stats.denied} denied), ${stats.skipped} left out (stateful RegExps, per-method delegates, hung callbacks), ${stats.mismatches.length} disagreements`)
  expect(stats.mismatches.slice(0, 3)).toEqual([])
  expect(stats.compared).toBeGreaterThan(15000)
  // Both verdicts occur in bulk, so agreement is not trivial.
  expect(stats.denied).toBeGreaterThan(5000)
  expect(stats.compared - stats.denied).toBeGreaterThan(5000)
}, 320000)

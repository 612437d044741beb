'use strict'

// Short versions of `npm run soak` (scripts/soak.js, run here in a child
// process with --expose-gc): 50,000 requests over 20,000 origins through one
// policy, 5,000 policies built and dropped, 10,000 distinct policies through
// one delegate, 4 worker threads with one
// terminated mid-flight, and 3 s of autocannon load on Express. The
// assertions are on correctness and on boundedness with wide margins (memory
// that stops growing, never a tight number), so they cannot flake.

const path = require('node:path')
const { spawnSync } = require('node:child_process')

const SCRIPT = path.join(__dirname, '..', 'scripts', 'soak.js')

function soak (env) {
  const r = spawnSync(process.execPath, ['--expose-gc', SCRIPT, '--json'], {
    env: Object.assign({}, process.env, env),
    encoding: 'utf8',
    timeout: 240000,
    maxBuffer: 64 * 1024 * 1024
  })
  const lines = (r.stdout || '').trim().split('\n')
  let out = null
  try {
    out = JSON.parse(lines[lines.length - 1])
  } catch {
    throw new Error(`soak.js did not print its figures (status ${r.status}, signal ${r.signal}):\n${r.stderr}\n${r.stdout}`)
  }
  return { status: r.status, signal: r.signal, out, stderr: r.stderr }
}

test('50,000 requests over 20,000 origins through one policy: right answers, memory settles', () => {
  const { status, out, stderr } = soak({ SOAK_PARTS: 'requests', SOAK_REQUESTS: '50000', SOAK_ORIGINS: '5000' })
  expect([status, out.problems]).toEqual([0, []])
  const r = out.requests
  expect(r.requests).toBe(50000)
  expect(r.mismatches).toBe(0)
  expect(r.samples).toHaveLength(10)
  // The verdict cache is bounded (1024 entries): the JS heap after gc does
  // not grow with the number of distinct origins seen.
  expect(r.heapGrowthAfter20pct).toBeLessThan(8)
  expect(r.rssGrowthAfter20pct).toBeLessThan(48)
  expect(stderr).not.toMatch(/RustCorsWarning/)
}, 240000)

test('5,000 policies built and dropped: native matchers are freed', () => {
  const { status, out } = soak({ SOAK_PARTS: 'policies', SOAK_POLICIES: '5000' })
  expect([status, out.problems]).toEqual([0, []])
  const r = out.policies
  expect(r.wrong).toBe(0)
  expect(r.samples.length).toBeGreaterThanOrEqual(5)
  // A leak grows RSS with every policy (4 compiled RegExps/patterns each);
  // freed memory leaves at most a plateau that the allocator keeps. Past the
  // first fifth, RSS must stay within a wide band.
  const fifth = r.samples[0].rss
  const last = r.samples[r.samples.length - 1].rss
  expect(last - fifth).toBeLessThan(40)
  expect(r.after.rss - r.base.rss).toBeLessThan(200)
  expect(r.heapAboveBaseline).toBeLessThan(8)
}, 240000)

test('10,000 distinct policies through one delegate: right answers, RSS growth bounded after the warm-up', () => {
  const { status, out } = soak({ SOAK_PARTS: 'delegate', SOAK_DELEGATE_POLICIES: '10000', SOAK_DELEGATE_WARMUP: '2000' })
  expect([status, out.problems]).toEqual([0, []])
  const r = out.delegate
  expect(r.policies).toBe(10000)
  expect(r.wrong).toBe(0)
  expect(r.samples).toHaveLength(10)
  // Each request compiles a policy with its own RegExp (a native matcher
  // V8 does not see). Kept, they would grow RSS by far more than this wide
  // bound (issue 10's full-size target: < 100 MB for 100,000 policies).
  expect(r.rssGrowth).toBeLessThan(100)
  expect(r.heapGrowth).toBeLessThan(8)
}, 240000)

test('4 worker threads build policies and serve at once; terminating one mid-flight is harmless', () => {
  const { status, signal, out } = soak({ SOAK_PARTS: 'workers', SOAK_WORKERS: '4', SOAK_WORKER_MS: '1500' })
  expect(signal).toBeNull()
  expect([status, out.problems]).toEqual([0, []])
  const w = out.workers
  expect(w.mainStillWorks).toBe(true)
  expect(w.wrong).toBe(0)
  expect(w.errors).toBe(0)
  expect(w.results).toHaveLength(4)
  expect(w.results[0].terminated).toBe(true)
  for (const r of w.results.slice(1)) {
    expect(r.done).toBe(true)
    expect(r.exitCode).toBe(0)
    expect(r.requests).toBeGreaterThan(0)
  }
}, 240000)

test('3 s of autocannon load on Express + rust-cors: 0 errors, 0 unexpected answers', () => {
  const { status, out } = soak({ SOAK_PARTS: 'load', SOAK_LOAD_SECONDS: '3', SOAK_CONNECTIONS: '20' })
  expect([status, out.problems]).toEqual([0, []])
  const l = out.load
  expect(l.requests).toBeGreaterThan(100)
  expect([l.errors, l.timeouts, l.non2xx, l.tally.unexpected]).toEqual([0, 0, 0, 0])
  expect(l.tally.allowed).toBeGreaterThan(0)
  expect(l.tally.denied).toBeGreaterThan(0)
  expect(l.tally.preflight).toBeGreaterThan(0)
  expect(l.tally.preflightDenied).toBeGreaterThan(0)
}, 240000)

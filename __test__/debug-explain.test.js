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

// explain() runs the middleware as a dry run that NODE_DEBUG never logs, even
// when an origin callback or delegate answers later (asynchronously): the
// dry run is quiet by an argument, not by a flag flipped while it runs. The
// same options on a live middleware do log (so logging was on).
test('explain() with asynchronous callbacks logs nothing under NODE_DEBUG; the live middleware does', () => {
  const child = `
    const rustCors = require(${JSON.stringify(path.join(__dirname, '..'))})
    const lines = []
    const write = process.stderr.write.bind(process.stderr)
    process.stderr.write = (chunk, ...rest) => String(chunk).startsWith('RUST-CORS') ? (lines.push(String(chunk)), true) : write(chunk, ...rest)
    const later = (value) => new Promise((resolve) => setTimeout(() => resolve(value), 5))
    const setups = {
      asyncOrigin: { origin: async (o) => later(o === 'https://a.example'), methods: ['GET'] },
      callbackOrigin: { origin: (o, cb) => setTimeout(() => cb(null, o === 'https://a.example'), 5), methods: ['GET'] },
      asyncDelegate: async () => later({ origin: ['https://a.example'], methods: ['GET'] })
    }
    const requests = [
      { method: 'PUT', headers: { origin: 'https://b.example' } },
      { method: 'GET', headers: { origin: 'https://b.example' } },
      { method: 'DELETE', headers: { origin: 'https://a.example' } }
    ]
    function live (middleware, req) {
      return new Promise((resolve) => {
        const h = {}
        const res = { statusCode: 200, getHeader: (n) => h[n.toLowerCase()], setHeader: (n, v) => { h[n.toLowerCase()] = v }, getHeaders: () => ({ ...h }), end: () => resolve('end') }
        middleware(req, res, () => resolve('next'))
      })
    }
    ;(async () => {
      const out = {}
      for (const [name, options] of Object.entries(setups)) {
        lines.length = 0
        const explained = []
        for (const r of requests) explained.push((await rustCors.explain(options, r)).allowed)
        await later()
        const fromExplain = lines.splice(0)
        for (const r of requests) await live(rustCors(options), { method: r.method, headers: { ...r.headers } })
        await later()
        out[name] = { explained, fromExplain, fromLive: lines.splice(0) }
      }
      write(JSON.stringify(out) + '\\n')
    })()
  `
  const r = spawnSync(process.execPath, ['--no-warnings', '-e', child], {
    env: { ...process.env, NODE_DEBUG: 'rust-cors' },
    encoding: 'utf8',
    timeout: 60000
  })
  const lines = (r.stderr || '').trim().split('\n')
  const out = JSON.parse(lines[lines.length - 1])
  for (const name of ['asyncOrigin', 'callbackOrigin', 'asyncDelegate']) {
    const { explained, fromExplain, fromLive } = out[name]
    expect({ name, explained, fromExplain }).toEqual({ name, explained: [false, false, false], fromExplain: [] })
    // Each live request is logged; the DELETE's METHOD_NOT_ALLOWED comes from
    // NODE_DEBUG's own dry run of its preflight, which logs nothing itself
    // (no OPTIONS line: no live request was one).
    for (const method of ['PUT', 'GET', 'DELETE']) expect(fromLive.some((l) => l.startsWith(`RUST-CORS ${r.pid}: ${method} `))).toBe(true)
    expect(fromLive.filter((l) => /DELETE.*METHOD_NOT_ALLOWED/.test(l))).toHaveLength(1)
    expect(fromLive.filter((l) => /^RUST-CORS \d+: OPTIONS /.test(l))).toEqual([])
  }
})

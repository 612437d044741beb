'use strict'

// Issue 19: options that differ from a compiled policy only in their origin
// strings (a tenant's list, `{ origin: req.headers.origin }`, cors(options)
// per request) are compiled from that policy: Rust compiles the strings
// alone (native.compileOriginStrings) and every other field is reused. The
// policy made so must be the one a whole compile makes (the same fields,
// the same findings in the same order, the same error under strict), and
// the responses must be cors's.

const fc = require('fast-check')
const cors = require('cors')
const rustCors = require('..')
const native = require('../lib/native')
const { readOptions } = require('../lib/options')
const { policyFor } = require('../lib/policy')
const { silenceWarnings, runTraced: run } = require('./helpers/mock')

silenceWarnings()

// What the request path reads of a policy (the cache's bookkeeping left out).
function project (policy) {
  const o = policy.origin
  return {
    disabled: policy.disabled,
    dynamic: policy.dynamic,
    origin: o === null
      ? null
      : { kind: o.kind, value: o.kind === 2 ? o.value : undefined, exact: o.exact && [...o.exact], few: o.few, maxExactLength: o.maxExactLength, matchAll: o.matchAll, needsMatcher: o.needsMatcher, nearMisses: o.nearMisses },
    credentials: policy.credentials,
    methods: policy.methods,
    reflectHeaders: policy.reflectHeaders,
    allowedHeaders: policy.allowedHeaders,
    exposedHeaders: policy.exposedHeaders,
    maxAge: policy.maxAge,
    preflightContinue: policy.preflightContinue,
    status: policy.status,
    preflightError: policy.preflightError,
    strictPreflight: policy.strictPreflight,
    allowPrivateNetwork: policy.allowPrivateNetwork,
    cacheControl: policy.cacheControl,
    strict: policy.strict,
    findings: policy.findings,
    originFindings: policy.originFindings,
    hasMatcher: policy.hasMatcher
  }
}

// A whole compile, outside the cache (explain's path), or what it throws.
function whole (options) {
  try {
    return project(policyFor(options, readOptions(options), false, []))
  } catch (e) {
    return { threw: e.constructor.name, code: e.code, message: e.message }
  }
}

// Through the cache, counting the whole compiles it made (a policy made
// without one was made from its strings alone).
function cached (options, perRequest = false) {
  const calls = { whole: 0 }
  const spyWhole = jest.spyOn(native, 'compilePolicy')
  try {
    return { policy: project(policyFor(options, readOptions(options), perRequest, null)), calls }
  } catch (e) {
    return { policy: { threw: e.constructor.name, code: e.code, message: e.message }, calls }
  } finally {
    calls.whole = spyWhole.mock.calls.length
    spyWhole.mockRestore()
  }
}

let serial = 0
const fresh = (name) => `https://${name}${serial++}.example.com`

const TEMPLATES = [
  () => ({ credentials: true }),
  () => ({ credentials: true, methods: ['GET', 'POST'], allowedHeaders: ['Content-Type', 'X-Id'], exposedHeaders: ['X-Id'], maxAge: 600 }),
  // A finding outside the origin option: kept after the new origin findings.
  () => ({ methods: ['GET', 'BAD NAME'], exposedHeaders: 'X-E' }),
  () => ({ credentials: false, optionsSuccessStatus: 200, preflightContinue: true }),
  () => ({ strict: true, credentials: true })
]

// Origin values that are new strings each time, in every form whose
// findings differ: plain, near misses, 'null', plain http with credentials,
// more near misses than are listed one by one, and forms that need a whole
// compile (a pattern, '*', an empty string).
const ORIGINS = [
  () => [fresh('app'), fresh('admin')],
  () => [fresh('app') + '/', fresh('admin')],
  () => [fresh('a'), 'null'],
  () => [fresh('a').replace('https:', 'http:')],
  () => Array.from({ length: 12 }, () => fresh('x').toUpperCase()),
  () => [fresh('a'), 'https://*.' + fresh('t').slice(8)],
  () => [fresh('a'), '*'],
  () => [fresh('a'), ''],
  () => [fresh('a'), 'https://nul\u0000.example.com'],
  () => fresh('one'),
  () => fresh('one') + '/',
  () => fresh('one').replace('https:', 'http:'),
  () => 'https://*.' + fresh('t').slice(8),
  () => '*'
]

describe('origin strings compiled against a compiled policy (issue 19)', () => {
  test('make the policy a whole compile makes, fields and findings, for every form', () => {
    let fast = 0
    for (const template of TEMPLATES) {
      for (const [i, origin] of ORIGINS.entries()) {
        const form = origin()
        const first = { ...template(), origin: typeof form === 'string' ? fresh('first') : [fresh('first')] }
        expect(cached(first).policy.threw).toBeUndefined()
        const next = { ...template(), origin: origin() }
        const { policy, calls } = cached(next)
        expect([i, policy]).toEqual([i, whole({ ...next })])
        if (calls.whole === 0) fast++
      }
    }
    // Every plain and near-miss form went through the strings alone; the
    // pattern, '*' and '' forms compiled whole.
    expect(fast).toBeGreaterThanOrEqual(TEMPLATES.length * 8 - 2)
  })

  test('under strict, a new origin string with a finding throws what a whole compile throws', () => {
    cached({ strict: true, origin: [fresh('ok')] })
    const bad = { strict: true, origin: [fresh('bad') + '/'] }
    const { policy, calls } = cached(bad)
    expect(calls).toEqual({ whole: 0 })
    expect(policy.code).toBe('RUST_CORS_ORIGIN_NEVER_MATCHES')
    expect(policy).toEqual(whole({ ...bad }))
  })

  test('a new origin list is compiled from the previous one: the strings alone cross to Rust', () => {
    const config = { methods: ['GET', 'PUT'], allowedHeaders: ['X-A'], credentials: true }
    cached({ origin: [fresh('a'), fresh('b')], ...config })
    const { calls } = cached({ origin: [fresh('a'), fresh('b')], ...config })
    expect(calls).toEqual({ whole: 0 })
    // A change outside the origin compiles whole.
    expect(cached({ origin: [fresh('a')], ...config, methods: ['GET'] }).calls).toEqual({ whole: 1 })
  })

  test('warnings of new origin strings are emitted as a whole compile emits them', () => {
    const base = { credentials: true, methods: ['GET', 'BAD NAME'] }
    rustCors({ ...base, origin: [fresh('w')] })
    const options = { ...base, origin: [fresh('w'), fresh('slash') + '/'] }
    process.emitWarning.mockClear()
    rustCors(options)
    const emitted = process.emitWarning.mock.calls.map(([message, { code }]) => [code, message])
    const expected = whole({ ...options }).findings.map((f) => [f.code, f.message + ' ' + f.fix])
    // The origin's finding is new; the methods one was emitted before (once per process).
    expect(emitted).toEqual(expected.filter(([code]) => code === 'RUST_CORS_ORIGIN_NEVER_MATCHES'))
    expect(expected.map(([code]) => code)).toEqual(['RUST_CORS_ORIGIN_NEVER_MATCHES', 'RUST_CORS_INVALID_TOKEN'])
  })
})

// -- responses, against cors --------------------------------------------------

// No pattern strings: rust-cors's patterns allow what cors compares as a
// literal (README, Differences); the first tests cover their compile.
const POOL = ['https://a.example.com', 'https://a.example.com/', 'https://A.example.com', 'null', 'http://b.example.com', '*', '', 'https://c.example.com']
const REQUEST_ORIGINS = ['https://a.example.com', 'https://x.example.com', 'null', 'http://b.example.com', 'https://c.example.com', undefined]

describe('property: origin strings new on every request answer like cors', () => {
  test('cors(options) per request and a delegate, with origin lists and strings drawn anew', () => {
    const request = fc.record({
      origin: fc.oneof(fc.constantFrom(...POOL), fc.array(fc.constantFrom(...POOL), { minLength: 1, maxLength: 4 })),
      method: fc.constantFrom('GET', 'OPTIONS'),
      from: fc.constantFrom(...REQUEST_ORIGINS)
    })
    fc.assert(fc.property(fc.constantFrom(0, 1, 2, 3), fc.boolean(), fc.array(request, { minLength: 1, maxLength: 12 }), (t, delegate, requests) => {
      const side = (factory) => {
        let current = null
        const mw = delegate ? factory((req, cb) => cb(null, current)) : null
        return requests.map((r) => {
          // New string objects each time (as a config store or a header gives).
          const copy = (s) => (' ' + s).slice(1)
          current = { ...TEMPLATES[t](), origin: Array.isArray(r.origin) ? r.origin.map(copy) : copy(r.origin) }
          delete current.strict
          return run(delegate ? mw : factory(current), r.method, r.from)
        })
      }
      expect(side(rustCors)).toEqual(side(cors))
    }), { numRuns: 300, seed: 19 })
  })

  test('each element of an origin array is read at most once per request, whichever cache entry it is read against', () => {
    let reads = 0
    let current = 'https://b.example.com'
    const tracked = () => {
      const list = []
      // The first element (the cache's probe) stays; the second changes.
      Object.defineProperty(list, 0, { enumerable: true, get () { reads++; return 'https://c.example.com' } })
      Object.defineProperty(list, 1, { enumerable: true, get () { reads++; return current } })
      return list
    }
    const shared = tracked()
    // Several entries under the same probe: the options differ after the origin.
    const options = [{ origin: shared, credentials: true }, { origin: shared, credentials: false }, { origin: shared, maxAge: 5 }]
    let turn = 0
    const mw = rustCors((req, cb) => cb(null, { ...options[turn++ % options.length] }))
    for (let i = 0; i < 24; i++) {
      if (i === 12) current = 'https://a.example.com'
      const before = reads
      run(mw, i % 2 ? 'OPTIONS' : 'GET', 'https://a.example.com')
      expect([i, reads - before]).toEqual([i, 2])
    }
  })
})

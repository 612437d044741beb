'use strict'

// What rust-cors adds to cors: origin patterns, misconfiguration diagnostics
// and `strict`, Promise callbacks, the peers' options, NODE_DEBUG reasons and
// explain().

const path = require('path')
const { spawnSync } = require('child_process')
const rustCors = require('..')
const { mockResponse } = require('./helpers/mock')

function get (mw, origin, method = 'GET', extra = {}) {
  const res = mockResponse()
  let nextArgs = null
  mw({ method, headers: origin === undefined ? { ...extra } : { origin, ...extra } }, res, (...a) => { nextArgs = a })
  return { res, nextArgs, acao: res.getHeader('Access-Control-Allow-Origin') }
}

// Collect the RustCorsWarnings emitted while fn runs. (Jest gives each test
// file its own `process` object, whose 'warning' events never fire, so the
// calls to process.emitWarning are observed instead.)
async function warningsOf (fn) {
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => {})
  try {
    fn()
    return spy.mock.calls
      .filter(([, opts]) => opts && opts.type === 'RustCorsWarning')
      .map(([message, opts]) => ({ name: opts.type, code: opts.code, message }))
  } finally {
    spy.mockRestore()
  }
}

describe('origin patterns', () => {
  const mw = rustCors({ origin: 'https://*.example.com' })
  test.each([
    ['https://a.example.com', true],
    ['https://a.b.example.com', true],
    ['https://example.com', false],
    ['https://evil-example.com', false],
    ['https://a.example.com.evil.net', false],
    ['http://a.example.com', false],
    ['https://a.example.com:8443', false],
    ['https://.example.com', false]
  ])('https://*.example.com vs %s → %s', (origin, allowed) => {
    const { acao, res } = get(mw, origin)
    expect(acao).toBe(allowed ? origin : undefined)
    expect(res.getHeader('Vary')).toBe('Origin')
  })

  test('any port, and both', () => {
    const local = rustCors({ origin: 'http://localhost:*' })
    expect(get(local, 'http://localhost:5173').acao).toBe('http://localhost:5173')
    expect(get(local, 'http://localhost').acao).toBe('http://localhost')
    expect(get(local, 'http://localhost.evil.com:80').acao).toBeUndefined()
    const both = rustCors({ origin: ['https://*.example.com:*'] })
    expect(get(both, 'https://api.example.com:8443').acao).toBe('https://api.example.com:8443')
    expect(get(both, 'https://example.com:8443').acao).toBeUndefined()
  })

  test('patterns mix with exact origins and RegExps in one list', () => {
    const mw = rustCors({ origin: ['https://app.test.org', 'https://*.example.com', /^https:\/\/x\.io$/] })
    expect(get(mw, 'https://app.test.org').acao).toBe('https://app.test.org')
    expect(get(mw, 'https://z.example.com').acao).toBe('https://z.example.com')
    expect(get(mw, 'https://x.io').acao).toBe('https://x.io')
    expect(get(mw, 'https://y.io').acao).toBeUndefined()
  })

  test('patterns returned by an origin callback', () => {
    const mw = rustCors({ origin: (o, cb) => cb(null, 'https://*.example.com') })
    expect(get(mw, 'https://a.example.com').acao).toBe('https://a.example.com')
    expect(get(mw, 'https://example.com').acao).toBeUndefined()
  })

  test.each([
    ['https://*.com', /public suffix/],
    ['https://*.co.uk', /public suffix/],
    ['https://*.github.io', /public suffix/],
    ['*.example.com', /scheme/],
    ['https://a.*.example.com', /\*/],
    ['https://*example.com', /\*/]
  ])('%s stays the inert literal cors compares it as, with a warning; strict refuses it', async (pattern, re) => {
    const seen = await warningsOf(() => {
      expect(get(rustCors({ origin: [pattern] }), 'https://a.example.com').acao).toBeUndefined()
      expect(get(rustCors({ origin: [pattern] }), pattern).acao).toBe(pattern)
      expect(get(rustCors({ origin: pattern }), 'https://a.example.com').acao).toBe(pattern)
    })
    expect(seen.map((w) => w.code)).toEqual(['RUST_CORS_INVALID_PATTERN'])
    expect(seen[0].message).toMatch(re)
    expect(() => rustCors({ origin: [pattern], strict: true })).toThrow(TypeError)
    expect(() => rustCors({ origin: pattern, strict: true })).toThrow(re)
  })
})

describe('misconfiguration diagnostics', () => {
  test('credentials with the default origin: exactly one warning', async () => {
    const seen = await warningsOf(() => rustCors({ credentials: true }))
    expect(seen.map((w) => w.code)).toEqual(['RUST_CORS_WILDCARD_CREDENTIALS'])
    expect(seen[0].message).toMatch(/credentials/)
    expect(seen[0].message).toMatch(/origin/)
  })

  test('a warning is emitted once per process, not per request or per instance', async () => {
    const seen = await warningsOf(() => {
      for (let i = 0; i < 10; i++) {
        const mw = rustCors({ origin: 'http://once.example', credentials: true })
        for (let j = 0; j < 10; j++) get(mw, 'https://a.com')
      }
    })
    expect(seen.map((w) => w.code)).toEqual(['RUST_CORS_INSECURE_ORIGIN'])
  })

  test('strict: true throws a TypeError with the same code', () => {
    let err
    try { rustCors({ credentials: true, strict: true }) } catch (e) { err = e }
    expect(err).toBeInstanceOf(TypeError)
    expect(err.code).toBe('RUST_CORS_WILDCARD_CREDENTIALS')
  })

  test.each([
    [{ origin: true, credentials: true }, 'RUST_CORS_REFLECT_CREDENTIALS'],
    [{ origin: ['https://a.com', 'null'] }, 'RUST_CORS_NULL_ORIGIN'],
    [{ origin: /example\.com$/ }, 'RUST_CORS_UNANCHORED_REGEX'],
    [{ origin: /^https:\/\/example.com$/ }, 'RUST_CORS_UNANCHORED_REGEX'],
    [{ origin: 'http://api.example.com', credentials: true }, 'RUST_CORS_INSECURE_ORIGIN'],
    [{ methods: ['GET', 'PO ST'] }, 'RUST_CORS_INVALID_TOKEN'],
    [{ allowedHeaders: 'X-Ok, Bad Header' }, 'RUST_CORS_INVALID_TOKEN'],
    [{ maxAge: 86401 }, 'RUST_CORS_MAX_AGE'],
    [{ maxAge: -1 }, 'RUST_CORS_MAX_AGE'],
    [{ maxAge: 1.5 }, 'RUST_CORS_MAX_AGE']
  ])('%p warns %s, and throws it under strict', async (options, code) => {
    const seen = await warningsOf(() => rustCors(options))
    expect(seen.map((w) => w.code)).toEqual([code])
    let err
    try { rustCors({ ...options, strict: true }) } catch (e) { err = e }
    expect(err && err.code).toBe(code)
  })

  test.each([
    [{ origin: ['https://a.com'], credentials: true, maxAge: 600 }],
    [{ origin: /^https:\/\/(www\.)?example\.com$/ }],
    [{ origin: 'http://localhost:5173', credentials: true }],
    [{}]
  ])('%p is clean', async (options) => {
    expect(await warningsOf(() => rustCors(options))).toEqual([])
    expect(() => rustCors({ ...options, strict: true })).not.toThrow()
  })

  test('wrong types of cors options warn (cors answers them); of rust-cors options, throw', async () => {
    const seen = await warningsOf(() => rustCors({ methods: 4242 }))
    expect(seen.map((w) => w.code)).toEqual(['RUST_CORS_INVALID_OPTION'])
    expect(seen[0].message).toMatch(/option `methods` is the number 4242/)
    expect(() => rustCors({ methods: 4242, strict: true })).toThrow(/option `methods`/)
    expect(() => rustCors({ strictPreflight: 'yes' })).toThrow(/option `strictPreflight`/)
    expect(() => rustCors({ cacheControl: -5 })).toThrow(/option `cacheControl`/)
    expect(() => rustCors({ allowPrivateNetwork: 1 })).toThrow(/option `allowPrivateNetwork`/)
  })
})

describe('Promise callbacks', () => {
  const run = (mw, origin) => new Promise((resolve) => {
    const res = mockResponse()
    mw({ method: 'GET', headers: { origin } }, res, (...args) => resolve({ res, args }))
  })

  test('async origin function', async () => {
    const mw = rustCors({ origin: async (o) => o === 'https://a.com' })
    expect((await run(mw, 'https://a.com')).res.getHeader('Access-Control-Allow-Origin')).toBe('https://a.com')
    const refused = await run(mw, 'https://b.com')
    expect(refused.res.getHeader('Access-Control-Allow-Origin')).toBeUndefined()
    expect(refused.res.getHeader('Vary')).toBeUndefined()
  })

  test('a rejection goes to next(err)', async () => {
    const boom = new Error('db down')
    const mw = rustCors({ origin: () => Promise.reject(boom) })
    expect((await run(mw, 'https://a.com')).args).toEqual([boom])
    const dmw = rustCors(async () => { throw boom })
    expect((await run(dmw, 'https://a.com')).args).toEqual([boom])
  })

  test('async delegate', async () => {
    const mw = rustCors(async (req) => ({ origin: req.headers.origin === 'https://a.com' ? 'https://a.com' : false }))
    expect((await run(mw, 'https://a.com')).res.getHeader('Access-Control-Allow-Origin')).toBe('https://a.com')
  })

  test('an async function that also takes the callback waits for it', async () => {
    const mw = rustCors({ origin: async (o, cb) => { setTimeout(() => cb(null, true), 5) } })
    expect((await run(mw, 'https://a.com')).res.getHeader('Access-Control-Allow-Origin')).toBe('https://a.com')
  })
})

describe("the peers' options", () => {
  test('strictPreflight answers 400 to OPTIONS without Origin or ACRM', () => {
    const mw = rustCors({ strictPreflight: true })
    const bare = get(mw, undefined, 'OPTIONS')
    expect(bare.res.statusCode).toBe(400)
    expect(bare.res.getHeader('Access-Control-Allow-Origin')).toBeUndefined()
    expect(get(mw, 'https://a.com', 'OPTIONS').res.statusCode).toBe(400)
    const ok = get(mw, 'https://a.com', 'OPTIONS', { 'access-control-request-method': 'PUT' })
    expect(ok.res.statusCode).toBe(204)
    expect(get(rustCors(), undefined, 'OPTIONS').res.statusCode).toBe(204)
  })

  test('allowPrivateNetwork answers the private-network request header', () => {
    const mw = rustCors({ allowPrivateNetwork: true })
    const yes = get(mw, 'https://a.com', 'OPTIONS', { 'access-control-request-private-network': 'true' })
    expect(yes.res.getHeader('Access-Control-Allow-Private-Network')).toBe('true')
    const no = get(mw, 'https://a.com', 'OPTIONS')
    expect(no.res.getHeader('Access-Control-Allow-Private-Network')).toBeUndefined()
    const off = get(rustCors(), 'https://a.com', 'OPTIONS', { 'access-control-request-private-network': 'true' })
    expect(off.res.getHeader('Access-Control-Allow-Private-Network')).toBeUndefined()
  })

  test('cacheControl on preflights only', () => {
    expect(get(rustCors({ cacheControl: 600 }), 'https://a.com', 'OPTIONS').res.getHeader('Cache-Control')).toBe('max-age=600')
    expect(get(rustCors({ cacheControl: 'no-store' }), 'https://a.com', 'OPTIONS').res.getHeader('Cache-Control')).toBe('no-store')
    expect(get(rustCors({ cacheControl: 600 }), 'https://a.com', 'GET').res.getHeader('Cache-Control')).toBeUndefined()
  })
})

describe('NODE_DEBUG=rust-cors', () => {
  test('logs one sanitised line per denied or partly allowed request', () => {
    const code = `
      const rustCors = require('.')
      const res = () => ({ h: {}, getHeader (n) { return this.h[n] }, setHeader (n, v) { this.h[n] = v }, end () {} })
      const mw = rustCors({ origin: ['https://a.com'], methods: ['GET'], allowedHeaders: ['Content-Type'] })
      mw({ method: 'GET', headers: { origin: 'https://evil.com\\u0007' + 'x'.repeat(500) } }, res(), () => {})
      mw({ method: 'OPTIONS', headers: { origin: 'https://a.com', 'access-control-request-method': 'DELETE' } }, res(), () => {})
      mw({ method: 'OPTIONS', headers: { origin: 'https://a.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-secret' } }, res(), () => {})
      mw({ method: 'OPTIONS', headers: { origin: 'https://a.com' } }, res(), () => {})
      mw({ method: 'GET', headers: { origin: 'https://a.com' } }, res(), () => {})
    `
    const r = spawnSync(process.execPath, ['-e', code], {
      cwd: path.join(__dirname, '..'), encoding: 'utf8', env: { ...process.env, NODE_DEBUG: 'rust-cors' }
    })
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('RUST-CORS'))
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(/GET from origin "https:\/\/evil\.com\\u0007x+…": ORIGIN_NOT_ALLOWED: /)
    expect(lines[0].length).toBeLessThan(500)
    expect(lines[1]).toMatch(/OPTIONS from origin "https:\/\/a\.com": METHOD_NOT_ALLOWED: Method DELETE is not allowed/)
    expect(lines[2]).toMatch(/HEADER_NOT_ALLOWED: Request header field x-secret is not allowed/)
    expect(lines[3]).toMatch(/PREFLIGHT_WITHOUT_REQUEST_METHOD: .*no Access-Control-Request-Method/)
  })
})

describe('explain()', () => {
  const pre = (origin, method, headers) => ({
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, ...(headers ? { 'access-control-request-headers': headers } : {}) }
  })

  test('allowed preflight', () => {
    const e = rustCors.explain({ origin: 'https://*.example.com', allowedHeaders: ['Content-Type'] }, pre('https://a.example.com', 'PUT', 'content-type'))
    expect(e).toEqual({
      preflight: true,
      status: 204,
      headers: {
        'Access-Control-Allow-Origin': 'https://a.example.com',
        Vary: 'Origin',
        'Access-Control-Allow-Methods': 'GET,HEAD,PUT,PATCH,POST,DELETE',
        'Access-Control-Allow-Headers': 'Content-Type',
        'Content-Length': '0'
      },
      allowed: true,
      reasons: []
    })
  })

  test.each([
    ['origin', { origin: ['https://a.com'] }, pre('https://b.com', 'GET'), 'ORIGIN_NOT_ALLOWED'],
    ['method', { origin: 'https://a.com', methods: ['GET'] }, pre('https://a.com', 'DELETE'), 'METHOD_NOT_ALLOWED'],
    ['header', { origin: 'https://a.com', allowedHeaders: ['Content-Type'] }, pre('https://a.com', 'GET', 'x-token'), 'HEADER_NOT_ALLOWED'],
    ['wildcard with credentials', { credentials: true }, { method: 'GET', headers: { origin: 'https://a.com' }, credentials: true }, 'WILDCARD_WITH_CREDENTIALS'],
    // rust-cors refused it: named as the refusal, not as a preflight nothing answered (#17.5)
    ['origin callback refusing', { origin: (o, cb) => cb(null, false) }, pre('https://a.com', 'PUT'), 'ORIGIN_NOT_ALLOWED']
  ])('blocked for %s', (name, options, request, code) => {
    const e = rustCors.explain(options, request)
    expect(e.allowed).toBe(false)
    expect(e.reasons.map((r) => r.code)).toContain(code)
    for (const r of e.reasons) {
      expect(typeof r.message).toBe('string')
      expect(r.message.length).toBeGreaterThan(10)
    }
  })

  test('an async origin callback gives a Promise', async () => {
    const e = await rustCors.explain({ origin: async (o) => o === 'https://a.com' }, { method: 'GET', headers: { origin: 'https://a.com' } })
    expect(e.allowed).toBe(true)
    expect(e.headers['Access-Control-Allow-Origin']).toBe('https://a.com')
  })

  test('construction diagnostics are reasons too, and no warning is emitted', async () => {
    let e
    const seen = await warningsOf(() => { e = rustCors.explain({ origin: true, credentials: true }, { method: 'GET', headers: { origin: 'https://x.com' }, credentials: true }) })
    expect(seen).toEqual([])
    expect(e.allowed).toBe(true)
    expect(e.reasons.map((r) => r.code)).toEqual(['RUST_CORS_REFLECT_CREDENTIALS'])
  })

  test('bad arguments are TypeErrors', () => {
    expect(() => rustCors.explain({}, null)).toThrow(TypeError)
    expect(() => rustCors.explain({}, { method: 5 })).toThrow(/request.method/)
    expect(() => rustCors.explain({ strictPreflight: 42 }, { method: 'GET' })).toThrow(/`strictPreflight`/)
    const sloppy = rustCors.explain({ methods: 42 }, { method: 'GET', headers: { origin: 'https://a.com' } })
    expect(sloppy.reasons[0]).toMatchObject({ code: 'RUST_CORS_INVALID_OPTION', severity: 'warning' })
  })
})

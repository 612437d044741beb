'use strict'

// Diagnoses that name the real cause (#17.4, #17.5):
// - near-miss origins (a trailing slash, no scheme, an upper-case host, a
//   default port, spaces, a `*` alone in an array) warn once with
//   RUST_CORS_ORIGIN_NEVER_MATCHES and the serialized form, throw under
//   strict, and are answered exactly as cors@2.8.6 answers them;
// - an origin refused by the list or by the origin callback is reported by
//   explain(), NODE_DEBUG and `rust-cors check` as a refusal.

const http = require('node:http')
const cors = require('cors')
const rustCors = require('..')
const { serverResponse } = require('./helpers/mock')
const { runInChild } = require('./helpers/child')
const { main: checkMain } = require('../lib/cli/main')
const { parseArgs } = require('../lib/cli/check')

const NEVER = 'RUST_CORS_ORIGIN_NEVER_MATCHES'

let warnings
let warnSpy
beforeEach(() => {
  warnings = []
  warnSpy = jest.spyOn(process, 'emitWarning').mockImplementation((msg, opts) => { warnings.push(Object.assign({ msg }, opts)) })
})
afterEach(() => warnSpy.mockRestore())

const never = () => warnings.filter((w) => w.code === NEVER)

function run (middleware, method, origin) {
  const res = serverResponse()
  const next = []
  const headers = { origin, 'access-control-request-method': 'PUT' }
  try {
    middleware({ method, headers, url: '/' }, res, (err) => next.push(err))
  } catch (e) {
    return { threw: e.constructor.name }
  }
  return { status: res.statusCode, ended: res.ended, next, headers: res.getHeaders() }
}

function sameAsCors (makeOptions, origins) {
  for (const origin of origins) {
    for (const method of ['GET', 'OPTIONS']) {
      expect({ origin, method, ...run(rustCors(makeOptions()), method, origin) })
        .toEqual({ origin, method, ...run(cors(makeOptions()), method, origin) })
    }
  }
}

// [the entry as written, the origin a browser sends, what the warning says]
const FORMS = [
  ['https://slash.example.com/', 'https://slash.example.com', 'ends with a slash'],
  ['https://path.example.com/app', 'https://path.example.com', 'has a path'],
  ['localhost:5173', 'http://localhost:5173', 'has no scheme'],
  ['https://UPPER.example.com', 'https://upper.example.com', 'has an upper-case host'],
  ['https://port.example.com:443', 'https://port.example.com', 'has the default port :443'],
  ['http://port80.example.com:80', 'http://port80.example.com', 'has the default port :80'],
  [' https://spaces.example.com ', 'https://spaces.example.com', 'has surrounding spaces']
]

describe('near-miss origins', () => {
  for (const [entry, serialized, why] of FORMS) {
    test(`${JSON.stringify(entry)} alone, in an array, returned by a callback: warned once, strict throws, answered as cors`, async () => {
      for (let i = 0; i < 3; i++) rustCors({ origin: entry })
      expect(never()).toHaveLength(1)
      expect(never()[0].msg).toContain(JSON.stringify(entry))
      expect(never()[0].msg).toContain(why)
      expect(never()[0].msg).toContain(`Write it as '${serialized}'.`)
      for (let i = 0; i < 3; i++) rustCors({ origin: ['https://other.example.org', entry] })
      expect(never()).toHaveLength(2) // the array's wording is its own, once too
      expect(never()[1].msg).toMatch(/contains .* so cors refuses the site it names/)

      for (const origin of [entry, ['https://other.example.org', entry]]) {
        let error = null
        try { rustCors({ origin, strict: true }) } catch (e) { error = e }
        expect(error).toBeInstanceOf(TypeError)
        expect(error.code).toBe(NEVER)
        expect(error.message).toContain(serialized)
      }

      sameAsCors(() => ({ origin: entry }), [serialized, entry])
      sameAsCors(() => ({ origin: ['https://other.example.org', entry] }), [serialized, entry, 'https://other.example.org'])
      sameAsCors(() => ({ origin: (o, cb) => cb(null, entry) }), [serialized, entry])
      sameAsCors(() => ({ origin: (o, cb) => cb(null, [entry]) }), [serialized, entry])
      // the callback's values were checked once each: no new wording
      const before = never().length
      for (let i = 0; i < 3; i++) run(rustCors({ origin: (o, cb) => cb(null, entry) }), 'GET', serialized)
      expect(never()).toHaveLength(before)
      expect(never().length).toBeLessThanOrEqual(3)
    })
  }

  test('a `*` alone inside an array: cors compares it as a literal; warned, answered as cors', () => {
    rustCors({ origin: ['*', 'https://star.example.com'] })
    expect(never()).toHaveLength(1)
    expect(never()[0].msg).toMatch(/contains '\*' inside an array/)
    expect(never()[0].msg).toMatch(/origin: '\*' on its own/)
    sameAsCors(() => ({ origin: ['*', 'https://star.example.com'] }), ['https://any.example.net', 'https://star.example.com', '*'])
  })

  test('serialized origins, patterns and null give no such warning', () => {
    rustCors({ origin: ['https://ok.example.com', 'http://localhost:5173', 'http://127.0.0.1:8080', 'http://[::1]:3000', 'https://ok.example.com:8443', 'chrome-extension://abcdefgh', 'https://*.ok.example.com', 'null'] })
    rustCors({ origin: 'https://fixed-ok.example.com' })
    run(rustCors({ origin: (o, cb) => cb(null, o) }), 'GET', 'https://echo.example.com')
    expect(never()).toEqual([])
  })

  test('a callback returning a near-miss string warns once', () => {
    const mw = rustCors({ origin: (o, cb) => cb(null, 'https://cb-slash.example.com/') })
    for (let i = 0; i < 3; i++) run(mw, 'GET', 'https://cb-slash.example.com')
    expect(never()).toHaveLength(1)
    expect(never()[0].msg).toContain("Write it as 'https://cb-slash.example.com'.")
  })

  test('explain() points a refused origin at its near-miss entry', () => {
    const e = rustCors.explain({ origin: ['https://a.example.org', 'https://app.example.com/'] },
      { method: 'PUT', headers: { origin: 'https://app.example.com' } })
    expect(e.allowed).toBe(false)
    expect(e.reasons.find((r) => r.code === NEVER).severity).toBe('warning')
    const refusal = e.reasons.filter((r) => r.severity === 'error')
    expect(refusal).toHaveLength(1)
    expect(refusal[0].code).toBe('ORIGIN_NOT_ALLOWED')
    expect(refusal[0].message).toContain("the list has 'https://app.example.com/'")
    expect(refusal[0].fix).toContain("write the entry 'https://app.example.com/' as 'https://app.example.com'")
  })
})

test('check --origin reads origins by the same rule, with the same fix', () => {
  for (const [entry, serialized, why] of FORMS) {
    expect(() => parseArgs(['http://127.0.0.1:1/', '--origin', entry])).toThrow(`it ${why}; did you mean ${serialized}?`)
  }
  for (const ok of ['https://ok.example.com', 'http://localhost:5173', 'null', 'chrome-extension://abcdefgh']) {
    expect(parseArgs(['http://127.0.0.1:1/', '--origin', ok]).origin).toBe(ok)
  }
  expect(() => parseArgs(['http://127.0.0.1:1/', '--origin', 'https://bücher.example'])).toThrow(/non-ASCII host \(browsers send its xn-- form\)$/)
})

describe('refusals named as refusals', () => {
  const allow = new Set(['https://ok.example.com'])
  const REFUSED = 'https://evil.example.com'
  const requests = [
    ['a PUT (with its preflight)', { method: 'PUT', headers: { origin: REFUSED } }],
    ['a simple GET', { method: 'GET', headers: { origin: REFUSED } }],
    ['a preflight as the server receives it', { method: 'OPTIONS', headers: { origin: REFUSED, 'access-control-request-method': 'PUT' } }]
  ]

  for (const [kind, options] of [
    ['an async origin callback', { origin: async (o) => allow.has(o) }],
    ['an origin callback', { origin: (o, cb) => cb(null, allow.has(o)) }],
    ['a delegate with an origin callback', (req, cb) => cb(null, { origin: (o, done) => done(null, allow.has(o)) })]
  ]) {
    test(`explain(): refused by ${kind}`, async () => {
      for (const [what, request] of requests) {
        const e = await rustCors.explain(options, request)
        expect({ what, codes: e.reasons.map((r) => r.code) }).toEqual({ what, codes: ['ORIGIN_NOT_ALLOWED'] })
        expect(e.reasons[0].message).toContain('This origin was refused by the origin callback')
        expect(e.reasons[0].fix).toMatch(/make the origin callback allow it/)
      }
    })
  }

  test('explain(): not in the origin list', () => {
    for (const [what, request] of requests) {
      const e = rustCors.explain({ origin: ['https://ok.example.com', /^https:\/\/ok2\.example\.com$/] }, request)
      expect({ what, codes: e.reasons.map((r) => r.code) }).toEqual({ what, codes: ['ORIGIN_NOT_ALLOWED'] })
      expect(e.reasons[0].message).toContain('This origin is not in the origin list')
      expect(e.reasons[0].fix).toContain('add it to the origin option')
    }
  })

  test('NODE_DEBUG names method, path, code and fix, and the status it saw', () => {
    const { result, stderr } = runInChild(`
      const http = require('node:http')
      const allow = new Set(['https://ok.example.com'])
      const refusing = rustCors({ origin: async (o) => allow.has(o) })
      const continuing = rustCors({ origin: ['https://ok.example.com'], preflightContinue: true, allowedHeaders: [] })
      const server = http.createServer((req, res) => {
        const mw = req.url.startsWith('/continue') ? continuing : refusing
        mw(req, res, () => { res.statusCode = 404; res.end('not found') })
      })
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
      const send = (path, origin) => new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: server.address().port, method: 'OPTIONS', path, agent: false,
          headers: { origin, 'access-control-request-method': 'PUT' } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)) })
        req.on('error', reject)
        req.end()
      })
      result.refused = await send('/api/items?x=1', 'https://evil.example.com')
      result.continued = await send('/continue/items', 'https://ok.example.com')
      await new Promise((resolve) => setTimeout(resolve, 50))
      server.close()
    `, { env: { NODE_DEBUG: 'rust-cors' } })
    expect(result).toEqual({ refused: 404, continued: 404 })
    const lines = stderr.split('\n').filter((l) => l.startsWith('RUST-CORS'))
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^RUST-CORS \d+: OPTIONS \/api\/items\?x=1 from origin "https:\/\/evil\.example\.com": ORIGIN_NOT_ALLOWED: This origin was refused by the origin callback: .* Fix: if this origin should be allowed, make the origin callback allow it/)
    expect(lines[0]).not.toMatch(/status 200/)
    // a preflight passed on: judged on the response the app really sent
    expect(lines[1]).toMatch(/^RUST-CORS \d+: OPTIONS \/continue\/items from origin "https:\/\/ok\.example\.com": PREFLIGHT_NOT_OK: .*\(got 404\)\. Fix: /)
  })

  test('check: an app whose async callback refuses; the fix names both causes', async () => {
    const mw = rustCors({ origin: async (o) => o === 'https://ok.example.com' })
    const server = http.createServer((req, res) => mw(req, res, () => { res.statusCode = 404; res.end() }))
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      let out = ''
      const code = await checkMain(['check', `http://127.0.0.1:${server.address().port}/api/items`, '--origin', 'https://evil.example.com', '--method', 'PUT', '--json'],
        { stdout: { write: (s) => { out += s } }, stderr: { write: () => {} } })
      expect(code).toBe(1)
      const result = JSON.parse(out)
      const problem = result.problems.find((p) => p.code === 'NO_CORS_HEADERS_ON_PREFLIGHT')
      expect(problem.message).toMatch(/either nothing answered the CORS preflight or the CORS layer refused this origin/)
      expect(problem.fix).toMatch(/an origin callback that refuses it/)
      expect(problem.fix).toMatch(/answer OPTIONS with the CORS middleware before routing/)
    } finally {
      server.close()
    }
  })
})

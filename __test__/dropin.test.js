'use strict'

// #20.7: option forms the red team found answered differently from
// cors@2.8.6, each run through cors and rust-cors on a real
// http.ServerResponse (Node's own header validation), as static options and
// from a delegate, for a simple request and a preflight, from an allowed and
// a refused origin. Every case uses its own strings, so that no case is
// answered by a policy another case compiled.

const cors = require('cors')
const rustCors = require('..')
const { serverResponse } = require('./helpers/mock')

// One request: what reached the response and next(), or what was thrown.
function run (middleware, method, origin) {
  const res = serverResponse()
  const next = []
  const req = { method, headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-dropin' }, url: '/' }
  try {
    middleware(req, res, (err) => next.push(err))
  } catch (e) {
    return { threw: e.constructor.name }
  }
  return { status: res.statusCode, ended: res.ended, next, headers: res.getHeaders() }
}

const REQUESTS = [['GET', 'allowed'], ['OPTIONS', 'allowed'], ['GET', 'refused'], ['OPTIONS', 'refused']]

// Static options and a delegate answer every request as cors does.
function sameAsCors (makeOptions, origins) {
  const asStatic = []
  for (const [method, which] of REQUESTS) {
    const origin = origins[which]
    const expected = run(cors(makeOptions()), method, origin)
    expect({ method, which, ...run(rustCors(makeOptions()), method, origin) }).toEqual({ method, which, ...expected })
    asStatic.push(expected)
    const delegate = () => (req, cb) => cb(null, makeOptions())
    expect({ method, which, ...run(rustCors(delegate()), method, origin) }).toEqual({ method, which, ...run(cors(delegate()), method, origin) })
  }
  return asStatic
}

let warnings
let warnSpy
beforeEach(() => {
  warnings = []
  warnSpy = jest.spyOn(process, 'emitWarning').mockImplementation((msg, opts) => { warnings.push(Object.assign({ msg }, opts)) })
})
afterEach(() => warnSpy.mockRestore())

describe('a string array with its own join: cors calls it', () => {
  class HeaderList extends Array {
    join (separator) { return Array.prototype.join.call(this, separator + ' ') }
  }
  const withOwnJoin = (names, join) => Object.defineProperty(names.slice(), 'join', { value: join })

  test('methods: an Array subclass and an own join', () => {
    const origins = { allowed: 'https://m1.example.com', refused: 'https://m1.example.com' }
    let r = sameAsCors(() => ({ methods: HeaderList.from(['GET', 'X-SUB-M']) }), origins)
    expect(r[1].headers['access-control-allow-methods']).toBe('GET, X-SUB-M')
    r = sameAsCors(() => ({ methods: withOwnJoin(['GET', 'X-OWN-M'], () => 'GET,X-JOINED-M') }), origins)
    expect(r[1].headers['access-control-allow-methods']).toBe('GET,X-JOINED-M')
  })

  test('allowedHeaders and its alias headers', () => {
    const origins = { allowed: 'https://h1.example.com', refused: 'https://h1.example.com' }
    let r = sameAsCors(() => ({ allowedHeaders: HeaderList.from(['x-sub-a', 'x-sub-b']) }), origins)
    expect(r[1].headers['access-control-allow-headers']).toBe('x-sub-a, x-sub-b')
    r = sameAsCors(() => ({ headers: withOwnJoin(['x-own-h'], () => 'x-joined-h') }), origins)
    expect(r[1].headers['access-control-allow-headers']).toBe('x-joined-h')
    // a join that returns nothing sends nothing, as in cors
    r = sameAsCors(() => ({ allowedHeaders: withOwnJoin(['x-own-empty'], () => '') }), origins)
    expect(r[1].headers['access-control-allow-headers']).toBeUndefined()
  })

  test('exposedHeaders', () => {
    const origins = { allowed: 'https://e1.example.com', refused: 'https://e1.example.com' }
    let r = sameAsCors(() => ({ exposedHeaders: HeaderList.from(['x-sub-e1', 'x-sub-e2']) }), origins)
    expect(r[0].headers['access-control-expose-headers']).toBe('x-sub-e1, x-sub-e2')
    r = sameAsCors(() => ({ exposedHeaders: withOwnJoin(['x-own-e'], () => 'x-joined-e') }), origins)
    expect(r[0].headers['access-control-expose-headers']).toBe('x-joined-e')
  })
})

describe('the policy cache tells a plain list from one with its own join', () => {
  class HeaderList extends Array {
    join (separator) { return Array.prototype.join.call(this, separator + ' ') }
  }
  const withOwnJoin = (names) => Object.defineProperty(names.slice(), 'join', { value: () => 'GET,X-JOINED-C' })
  const origin = 'https://cache-c1.example.com'
  const methodsOf = (middleware) => run(middleware, 'OPTIONS', origin).headers['access-control-allow-methods']

  test('static options, either order, and one delegate alternating', () => {
    const forms = [
      () => ['GET', 'X-CACHE-C'],
      () => HeaderList.from(['GET', 'X-CACHE-C']),
      () => withOwnJoin(['GET', 'X-CACHE-C']),
      () => ['GET', 'X-CACHE-C']
    ]
    const sent = forms.map((form) => methodsOf(rustCors({ methods: form() })))
    expect(sent).toEqual(forms.map((form) => methodsOf(cors({ methods: form() }))))
    expect(sent).toEqual(['GET,X-CACHE-C', 'GET, X-CACHE-C', 'GET,X-JOINED-C', 'GET,X-CACHE-C'])
    let i = 0
    const delegate = rustCors((req, cb) => cb(null, { methods: forms[i++ % forms.length]() }))
    expect(forms.concat(forms).map(() => methodsOf(delegate))).toEqual(sent.concat(sent))
  })
})

describe('RegExp look-alikes in the origin option', () => {
  test('a RegExp with an own `source` of 1n is tested as the RegExp it is, like cors', () => {
    const make = () => {
      const re = /^https:\/\/r1n\.example\.com$/
      Object.defineProperty(re, 'source', { value: 1n })
      return { origin: ['https://other-r1n.example.com', re] }
    }
    const r = sameAsCors(make, { allowed: 'https://r1n.example.com', refused: 'https://evil-r1n.example.com' })
    expect(r[0].headers['access-control-allow-origin']).toBe('https://r1n.example.com')
    expect(r[2].headers['access-control-allow-origin']).toBeUndefined()
  })

  test('Object.create(RegExp.prototype) after a matching string: that origin is answered, the others throw, like cors', () => {
    const make = () => ({ origin: ['https://fake1.example.com', Object.create(RegExp.prototype)] })
    const r = sameAsCors(make, { allowed: 'https://fake1.example.com', refused: 'https://evil-fake1.example.com' })
    expect(r[0].headers['access-control-allow-origin']).toBe('https://fake1.example.com')
    expect(r[2]).toEqual({ threw: 'TypeError' })
    expect(r[3]).toEqual({ threw: 'TypeError' })
  })

  test('objects that only inherit from RegExp.prototype are reported once', () => {
    // (two of them: the one-object wording was printed by the test above)
    const make = () => ({ origin: ['https://fake2.example.com', Object.create(RegExp.prototype), [Object.create(RegExp.prototype)]] })
    rustCors(make())
    rustCors(make())
    const found = warnings.filter((w) => w.code === 'RUST_CORS_INVALID_OPTION' && /inherit from RegExp\.prototype/.test(w.msg))
    expect(found).toHaveLength(1)
    expect(found[0].msg).toMatch(/contains 2 objects that only inherit .* cors's test\(\) throws a TypeError/)
  })

  test('explain() runs on a copy of such a list without throwing at the copy', () => {
    const re = /^https:\/\/r1n-x\.example\.com$/
    Object.defineProperty(re, 'source', { value: 1n })
    const e = rustCors.explain({ origin: [re, 'https://fake-x.example.com', Object.create(RegExp.prototype)] },
      { method: 'GET', headers: { origin: 'https://r1n-x.example.com' } })
    expect(e.allowed).toBe(true)
  })
})

describe('bigints', () => {
  test('preflightContinue: 0n is falsy, as in cors (204); 1n passes preflights on; both warned', () => {
    let r = sameAsCors(() => ({ preflightContinue: 0n, maxAge: 7001 }), { allowed: 'https://big0.example.com', refused: 'https://big0.example.com' })
    expect(r[1].status).toBe(204)
    expect(r[1].ended).toBe(true)
    r = sameAsCors(() => ({ preflightContinue: 1n, maxAge: 7002 }), { allowed: 'https://big1.example.com', refused: 'https://big1.example.com' })
    expect(r[1].ended).toBe(false)
    const found = warnings.filter((w) => /`preflightContinue` is the bigint/.test(w.msg)).map((w) => w.msg)
    expect(found).toEqual([expect.stringMatching(/bigint 0n; cors treats it as false/), expect.stringMatching(/bigint 1n; cors treats it as true/)])
  })
})

describe('symbols', () => {
  test('methods: Symbol(): cors throws on every preflight; rust-cors refuses it when built, and from a delegate throws per preflight', () => {
    const origins = { allowed: 'https://sym.example.com', refused: 'https://sym.example.com' }
    const make = () => ({ methods: Symbol('GET') })
    for (const [method, which] of REQUESTS) {
      const expected = run(cors(make()), method, origins[which])
      if (method === 'OPTIONS') expect(expected).toEqual({ threw: 'TypeError' })
      const delegate = () => (req, cb) => cb(null, make())
      expect(run(rustCors(delegate()), method, origins[which])).toEqual(run(cors(delegate()), method, origins[which]))
    }
    let error = null
    try { rustCors(make()) } catch (e) { error = e }
    expect(error).toBeInstanceOf(TypeError)
    expect(error.code).toBe('RUST_CORS_INVALID_OPTION')
    expect(error.message).toMatch(/`methods` is a symbol; cors throws a TypeError on every preflight/)
  })

  test('maxAge: Symbol(): cors sends its toString(), so does rust-cors, with a warning', () => {
    const r = sameAsCors(() => ({ maxAge: Symbol('600') }), { allowed: 'https://sym2.example.com', refused: 'https://sym2.example.com' })
    expect(r[1].headers['access-control-max-age']).toBe('Symbol(600)')
    expect(warnings.filter((w) => w.code === 'RUST_CORS_INVALID_OPTION' && /`maxAge` is a symbol/.test(w.msg))).toHaveLength(1)
  })
})

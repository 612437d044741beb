'use strict'

// Hostile and broken configuration: every option of the wrong type, NaN and
// Infinity, huge arrays, RegExps that Rust refuses, self-referencing arrays.
// Each either throws a TypeError that names the option when the middleware is
// built, or works, and then answers exactly like cors@2.8.6. Nothing may
// panic or abort the process (a Rust panic would surface as a non-TypeError
// or kill jest's worker).

const cors = require('cors')
const rustCors = require('..')

const { runRecorded: run, silenceWarnings } = require('./helpers/mock')

silenceWarnings()

const REQUESTS = [
  ['GET', { origin: 'https://app.example.com' }],
  ['GET', { origin: 'https://evil.example.net' }],
  ['GET', {}],
  ['OPTIONS', { origin: 'https://app.example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-a, content-type' }],
  ['OPTIONS', { origin: 'null' }]
]

// Build both; returns 'TypeError' (checked to name the option) or 'works'
// (checked to answer like cors on every request above).
function judge (name, makeOptions) {
  let mw
  try {
    mw = rustCors(makeOptions())
  } catch (e) {
    expect(e).toBeInstanceOf(TypeError)
    expect(e.message).toContain('`' + name + '`')
    expect(e.code).toBe('RUST_CORS_INVALID_OPTION')
    return 'TypeError'
  }
  const ref = cors(makeOptions())
  for (const [method, headers] of REQUESTS) {
    const expected = run(ref, method, headers)
    const actual = run(mw, method, headers)
    expect([name, method, headers, actual]).toEqual([name, method, headers, expected])
  }
  return 'works'
}

const WRONG = {
  'the number 42': () => 42,
  NaN: () => NaN,
  Infinity: () => Infinity,
  '-Infinity': () => -Infinity,
  '-0': () => -0,
  '-1': () => -1,
  1.5: () => 1.5,
  'Number.MAX_VALUE': () => Number.MAX_VALUE,
  'a symbol': () => Symbol('x'),
  'a bigint': () => 10n,
  '{}': () => ({}),
  'Object.create(null)': () => Object.create(null),
  'a function': () => function () {},
  'a Date': () => new Date(0),
  'a Map': () => new Map([['a', 1]]),
  'a Promise': () => Promise.resolve('GET'),
  'a Proxy': () => new Proxy({}, {}),
  '[1, 2]': () => [1, 2],
  '[null]': () => [null],
  '[{}]': () => [{}],
  '[NaN, Infinity]': () => [NaN, Infinity],
  'a sparse array': () => [, 'GET'], // eslint-disable-line no-sparse-arrays
  true: () => true,
  false: () => false,
  null: () => null,
  '"x y"': () => 'x y',
  '""': () => '',
  'a String object': () => new String('GET'), // eslint-disable-line no-new-wrappers
  'a RegExp': () => /x/,
  'a typed array': () => new Uint8Array([71, 69, 84]),
  'an array-like with join': () => ({ join: () => 'GET,POST' }),
  'an array-like whose join returns a number': () => ({ join: () => 42 })
}

const OPTIONS = [
  'origin', 'methods', 'allowedHeaders', 'headers', 'exposedHeaders', 'credentials', 'maxAge',
  'preflightContinue', 'optionsSuccessStatus'
]

// Which WRONG values each option refuses with a TypeError at construction; every other value
// must work and answer like cors. Pinned, so that a value moving from one side to the other
// (a new refusal, or a refusal dropped) fails here and is decided on purpose. A refusal is
// where cors throws or misbehaves on every request (e.g. `methods: null` throws on every
// preflight); a sloppy value cors answers (credentials: 42 sends no header) works.
const REFUSED = {
  origin: [],
  methods: ['a symbol', 'Object.create(null)', 'null'],
  allowedHeaders: [],
  headers: [],
  exposedHeaders: [],
  credentials: [],
  maxAge: ['Object.create(null)'],
  preflightContinue: [],
  optionsSuccessStatus: Object.keys(WRONG) // a status must be an integer from 200 to 599 (res.statusCode throws otherwise)
}
const REFUSED_AS_OPTIONS = []

describe('every option of the wrong type', () => {
  for (const name of OPTIONS) {
    test(`${name}: a TypeError naming it, or the same answers as cors`, () => {
      const refused = []
      for (const [label, value] of Object.entries(WRONG)) {
        const outcome = judge(name, () => ({ [name]: value(), origin: name === 'origin' ? value() : 'https://app.example.com' }))
        if (outcome === 'TypeError') refused.push(label)
      }
      expect(refused).toEqual(REFUSED[name])
    })
  }

  test('the options argument itself of the wrong type', () => {
    const refused = []
    for (const value of [42, 'https://a.com', true, Symbol('x'), 10n, [1], null, undefined, NaN]) {
      let mw
      try {
        mw = rustCors(value)
      } catch (e) {
        expect(e).toBeInstanceOf(TypeError)
        refused.push(String(value))
        continue
      }
      const ref = cors(value)
      for (const [method, headers] of REQUESTS) expect(run(mw, method, headers)).toEqual(run(ref, method, headers))
    }
    expect(refused).toEqual(REFUSED_AS_OPTIONS)
  })

  test('NaN, Infinity and out-of-range numbers for maxAge and optionsSuccessStatus', () => {
    for (const v of [NaN, Infinity, -Infinity, -1, 1.5, 1e21, Number.MAX_SAFE_INTEGER, -0]) {
      expect(judge('maxAge', () => ({ origin: 'https://app.example.com', maxAge: v }))).toBe('works')
    }
    for (const v of [NaN, Infinity, -Infinity, 0, 99, 1000, 1e21]) {
      expect(judge('optionsSuccessStatus', () => ({ optionsSuccessStatus: v }))).toBe('TypeError')
    }
    // with preflightContinue the status is never used, as in cors
    expect(judge('optionsSuccessStatus', () => ({ optionsSuccessStatus: NaN, preflightContinue: true }))).toBe('works')
  })

  test('an options object whose getters throw: the user\'s error, not a crash', () => {
    const hostile = { get methods () { throw new RangeError('boom') } }
    expect(() => rustCors(hostile)).toThrow(RangeError)
    const proxy = new Proxy({}, { get () { throw new SyntaxError('trap') }, ownKeys () { throw new SyntaxError('trap') } })
    expect(() => rustCors(proxy)).toThrow(SyntaxError)
  })
})

describe('huge arrays', () => {
  const N = 100000
  const origins = Array.from({ length: N }, (_, i) => `https://app${i}.example.com`)

  test('100,000 exact origins: built once, each request answered like cors', () => {
    const mw = rustCors({ origin: origins, credentials: true })
    const ref = cors({ origin: origins, credentials: true })
    for (const origin of [origins[0], origins[N >> 1], origins[N - 1], 'https://app100000.example.com', 'https://APP0.example.com']) {
      expect(run(mw, 'GET', { origin })).toEqual(run(ref, 'GET', { origin }))
      expect(run(mw, 'OPTIONS', { origin })).toEqual(run(ref, 'OPTIONS', { origin }))
    }
  })

  test('100,000 origins with RegExps and patterns mixed in', () => {
    const mixed = origins.slice()
    mixed[500] = /^https:\/\/[a-z]+\.example\.org$/
    mixed[90000] = 'https://*.example.dev'
    const mw = rustCors({ origin: mixed })
    expect(run(mw, 'GET', { origin: 'https://abc.example.org' }).headers['access-control-allow-origin']).toBe('https://abc.example.org')
    expect(run(mw, 'GET', { origin: 'https://a.b.example.dev' }).headers['access-control-allow-origin']).toBe('https://a.b.example.dev')
    expect(run(mw, 'GET', { origin: origins[99999] }).headers['access-control-allow-origin']).toBe(origins[99999])
    expect(run(mw, 'GET', { origin: 'https://evil.example.com' }).headers['access-control-allow-origin']).toBeUndefined()
  })

  test('100,000 origin patterns', () => {
    const patterns = Array.from({ length: N }, (_, i) => `https://*.app${i}.example.com`)
    const mw = rustCors({ origin: patterns })
    expect(run(mw, 'GET', { origin: 'https://x.app99999.example.com' }).headers['access-control-allow-origin']).toBe('https://x.app99999.example.com')
    expect(run(mw, 'GET', { origin: 'https://x.app100000.example.com' }).headers['access-control-allow-origin']).toBeUndefined()
  })

  test('1,000 RegExps compile into one matcher and answer like cors', () => {
    const res = Array.from({ length: 1000 }, (_, i) => new RegExp(`^https:\\/\\/([a-z]+\\.)?app${i}\\.example\\.com$`))
    const mw = rustCors({ origin: res })
    const ref = cors({ origin: res })
    for (const origin of ['https://app0.example.com', 'https://x.app999.example.com', 'https://app1000.example.com']) {
      expect(run(mw, 'GET', { origin })).toEqual(run(ref, 'GET', { origin }))
    }
  })

  test('100,000 methods and header names', () => {
    const names = Array.from({ length: N }, (_, i) => 'X-H' + i)
    expect(judge('allowedHeaders', () => ({ allowedHeaders: names, exposedHeaders: names, methods: names }))).toBe('works')
  })

  test('a 100,000-deep nested origin array works, without a stack overflow (cors overflows on it)', () => {
    let deep = ['https://app.example.com']
    for (let i = 0; i < N; i++) deep = [deep]
    const mw = rustCors({ origin: deep })
    expect(run(mw, 'GET', { origin: 'https://app.example.com' }).headers['access-control-allow-origin']).toBe('https://app.example.com')
    expect(run(mw, 'GET', { origin: 'https://evil.example.net' }).headers['access-control-allow-origin']).toBeUndefined()
  })
})

describe('RegExps that Rust refuses run as JS RegExps, exactly like cors', () => {
  const cases = {
    lookbehind: /(?<=^https:\/\/)app\.example\.com$/,
    'negative lookbehind': /^https:\/\/(?<!evil)[a-z]+\.example\.com$/,
    lookahead: /^https:\/\/(?!evil)[a-z]+\.example\.com$/,
    backreference: /^https:\/\/(a+)\1\.example\.com$/,
    'named backreference': /^https:\/\/(?<x>a+)\k<x>\.example\.com$/,
    'v flag': /^https:\/\/[\p{L}--[q-z]]+\.example\.com$/v,
    'unicode property': /^https:\/\/\p{Lu}+\.example\.com$/u,
    'huge counted repetition': /^https:\/\/a{100000}\.example\.com$/,
    'nested counted repetition': /^https:\/\/(?:a{1000}){1000}$/,
    'a 10,001-char source': new RegExp('^https:\\/\\/(' + 'a'.repeat(10001) + ')$'),
    'deep nesting': new RegExp('^' + '('.repeat(500) + 'a' + ')'.repeat(500) + '$')
  }
  const origins = ['https://app.example.com', 'https://aaaa.example.com', 'https://evilx.example.com', 'https://ÅB.example.com', 'https://AB.example.com',
    'https://' + 'a'.repeat(100000) + '.example.com', 'https://a.example.com.evil']

  for (const [label, re] of Object.entries(cases)) {
    test(label, () => {
      const mw = rustCors({ origin: [re, 'https://fixed.example.com'] })
      const ref = cors({ origin: [re, 'https://fixed.example.com'] })
      for (const origin of origins) {
        expect([label, origin.length, run(mw, 'GET', { origin })]).toEqual([label, origin.length, run(ref, 'GET', { origin })])
      }
    })
  }

  test('stateful (g, y) and subclassed RegExps keep their lastIndex behaviour', () => {
    class MyRegExp extends RegExp { test (s) { return s.endsWith('.example.com') } }
    for (const make of [() => /example\.com$/g, () => /https:/y, () => new MyRegExp('never')]) {
      const mw = rustCors({ origin: [make()] })
      const ref = cors({ origin: [make()] })
      for (let i = 0; i < 4; i++) {
        expect(run(mw, 'GET', { origin: 'https://a.example.com' })).toEqual(run(ref, 'GET', { origin: 'https://a.example.com' }))
      }
    }
  })

  test('a RegExp whose source is not valid for Rust never panics, whatever its flags', () => {
    const sources = ['(?<=a)b', '\\1(a)', '[\\q{abc}]', 'a{2,1}', '\\p{Script=Greek}', '(?i:a)', '[^]', '$^', '\\b\\B', '(?:)', '[]', 'a**']
    for (const src of sources) {
      for (const flags of ['', 'i', 'm', 's', 'u', 'v', 'imsu', 'dimsv']) {
        let re
        try { re = new RegExp(src, flags) } catch { continue }
        const mw = rustCors({ origin: re })
        const ref = cors({ origin: new RegExp(src, flags) })
        for (const origin of ['a', 'ab', 'https://x', '']) {
          expect([src, flags, origin, run(mw, 'GET', { origin })]).toEqual([src, flags, origin, run(ref, 'GET', { origin })])
        }
      }
    }
  })
})

describe('self-referencing values', () => {
  test('an origin array that contains itself is a TypeError naming origin (cors overflows the stack per request)', () => {
    const a = ['https://app.example.com']
    a.push(a)
    expect(() => rustCors({ origin: a })).toThrow(TypeError)
    expect(() => rustCors({ origin: a })).toThrow(/`origin`/)
    const b = ['https://b.example.com']
    const c = [b]
    b.push(c)
    expect(() => rustCors({ origin: [c] })).toThrow(/`origin`/)
    // the same array twice (not a cycle) is fine
    const shared = ['https://app.example.com']
    expect(judge('origin', () => ({ origin: [shared, shared] }))).toBe('works')
  })

  test('an origin callback returning a self-referencing array: next(TypeError), not a crash', () => {
    const a = ['https://app.example.com']
    a.push(a)
    const r = run(rustCors({ origin: (o, cb) => cb(null, a) }), 'GET', { origin: 'https://app.example.com' })
    expect(r.threw).toBeNull()
    expect(r.next).toBe(1)
    expect(r.nextErr).toMatch(/`origin`/)
  })

  test('self-referencing header lists are joined like cors (Array#join skips cycles)', () => {
    for (const name of ['methods', 'allowedHeaders', 'exposedHeaders']) {
      const l = ['GET', 'X-A']
      l.push(l)
      expect(judge(name, () => ({ origin: 'https://app.example.com', [name]: l }))).toBe('works')
    }
  })

  test('an options object that references itself', () => {
    const o = { origin: 'https://app.example.com' }
    o.self = o
    o.methods = ['GET', 'PUT']
    expect(judge('origin', () => o)).toBe('works')
  })
})

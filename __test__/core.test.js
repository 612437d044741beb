'use strict'

// The drop-in contract, case by case: every row of the edge-case table in
// shared/reference/cors-behavior.md §9, run through cors@2.8.6 and rust-cors
// on identical in-memory requests, compared call by call (headers, order,
// values, status, end(), next()).

const path = require('path')
const fs = require('fs')
const os = require('os')
const { spawnSync } = require('child_process')
const cors = require('cors')
const rustCors = require('..')
const { runOnce } = require('./helpers/mock')

process.removeAllListeners('warning')
process.on('warning', () => {})

const G = ['GET', { origin: 'http://example.com' }]
const P = ['OPTIONS', { origin: 'http://example.com', 'access-control-request-headers': 'X-A, x-b' }]
const G0 = ['GET', {}]

const sync = (v) => (origin, cb) => cb(null, v)

const table = [
  ['#1 defaults, GET', undefined, G],
  ['#2 defaults, no Origin', undefined, G0],
  ['#3 defaults, preflight', undefined, P],
  ['#4 bare OPTIONS', undefined, ['OPTIONS', {}]],
  ['#5 lower-case options', undefined, ['options', {}]],
  ['#6 fixed origin, other Origin', { origin: 'http://a.com' }, ['GET', { origin: 'http://evil.com' }]],
  ['#7 fixed origin, no Origin', { origin: 'http://a.com' }, G0],
  ['#8 star', { origin: '*' }, G],
  ['#9 reflect', { origin: true }, G],
  ['#10 reflect, no Origin', { origin: true }, G0],
  ['#11 reflect null', { origin: true }, ['GET', { origin: 'null' }]],
  ['#12 origin false, GET', { origin: false }, G],
  ['#12 origin false, preflight', { origin: false }, P],
  ['#13 explicit undefined origin', { origin: undefined }, P],
  ['#13 empty origin', { origin: '' }, G],
  ['#13 null origin', { origin: null }, G],
  ['#14 RegExp match', { origin: /example\.com$/ }, G],
  ['#15 RegExp miss', { origin: /foo\.com$/ }, G],
  ['#16 RegExp miss, everything else', { origin: /foo\.com$/, credentials: true, maxAge: 5, exposedHeaders: 'X-E' }, P],
  ['#17 mixed array', { origin: ['http://x.com', /example/] }, G],
  ['#18 empty array', { origin: [] }, G],
  ['#19 nested array', { origin: [['http://example.com']] }, G],
  ['#20 number origin', { origin: 1 }, G],
  ['#20 object origin', { origin: {} }, G],
  ['#21 callback true', { origin: sync(true) }, G],
  ['#22 callback false', { origin: sync(false) }, P],
  ['#23 callback error', { origin: (o, cb) => cb(new Error('boom')) }, G],
  ['#23 callback error wins', { origin: (o, cb) => cb(new Error('boom'), true) }, G],
  ['#24 callback fixed string', { origin: sync('http://z.com') }, G],
  ['#25 callback star', { origin: sync('*') }, G],
  ['#26 callback RegExp miss', { origin: sync(/nomatch/) }, G],
  ['callback array hit', { origin: sync(['http://a.com', /^http:\/\/example\.com$/]) }, P],
  ['callback function value reflects', { origin: sync(function () {}) }, G],
  ['#27 methods string', { methods: 'GET, POST' }, P],
  ['#28 methods empty', { methods: [] }, P],
  ['methods false', { methods: false }, P],
  ['#30 allowedHeaders array', { allowedHeaders: ['a', 'B'] }, P],
  ['#31 headers alias', { headers: 'h1,h2' }, P],
  ['#32 allowedHeaders wins', { allowedHeaders: 'a', headers: 'h' }, P],
  ['#33 allowedHeaders empty string reflects', { allowedHeaders: '' }, P],
  ['#34 allowedHeaders empty array suppresses', { allowedHeaders: [] }, P],
  ['#35 empty allowedHeaders falls to headers', { allowedHeaders: '', headers: 'h' }, P],
  ['#36 exposedHeaders array', { exposedHeaders: ['X-1', 'X-2'] }, G],
  ['#37 exposedHeaders on preflight', { exposedHeaders: 'X-1' }, P],
  ['#39 credentials with star', { credentials: true }, G],
  ['#40 maxAge 0', { maxAge: 0 }, P],
  ['#40 maxAge string', { maxAge: '600' }, P],
  ['#40 maxAge NaN', { maxAge: NaN }, P],
  ['#40 maxAge -1', { maxAge: -1 }, P],
  ['#40 maxAge 1.5', { maxAge: 1.5 }, P],
  ['#41 maxAge empty', { maxAge: '' }, P],
  ['#42 maxAge on GET', { maxAge: 5 }, G],
  ['#43 preflightContinue', { preflightContinue: true }, P],
  ['#43 preflightContinue truthy string', { preflightContinue: 'yes' }, P],
  ['#44 optionsSuccessStatus 200', { optionsSuccessStatus: 200 }, P],
  ['#52 delegate cb(null)', (req, cb) => cb(null), G],
  ['#53 delegate error', (req, cb) => cb('some error'), G], // eslint-disable-line n/no-callback-literal -- cors's case #53 passes a string
  ['#54 delegate origin false', (req, cb) => cb(null, { origin: false }), P],
  ['delegate fresh object', (req, cb) => cb(null, { origin: ['http://example.com'], credentials: true, maxAge: 10 }), P],
  ['delegate with origin callback', (req, cb) => cb(null, { origin: sync(true) }), P],
  ['#55 no method', undefined, [undefined, { origin: 'http://example.com' }]],
  ['#56 HEAD', undefined, ['HEAD', {}]],
  ['reflect with no request headers', { origin: true }, ['OPTIONS', { origin: 'http://example.com' }]],
  ['Origin with Latin-1', { origin: [/^http:\/\/ex.mple\.com$/] }, ['GET', { origin: 'http://ex\u00e9mple.com' }]],
  ['Origin above Latin-1 falls back to JS', { origin: [/^http:\/\/ex.mple\.com$/] }, ['GET', { origin: 'http://ex\u4e2dmple.com' }]],
  ['lookbehind runs in JS', { origin: [/(?<=^http:\/\/)example\.com$/] }, G],
  ['case-insensitive RegExp', { origin: /^HTTP:\/\/EXAMPLE\.COM$/i }, G]
]

const varyCases = [
  ['#46 existing Vary', { origin: 'http://a.com' }, G, 'Foo'],
  ['#47 existing Vary origin', { origin: 'http://a.com' }, G, 'origin'],
  ['#48 existing Vary *', { origin: 'http://a.com' }, G, '*'],
  ['#49 existing Vary array', { origin: true }, P, ['Accept', 'Accept-Encoding']],
  ['existing Vary, reflected headers', undefined, P, 'Accept']
]

describe('same calls as cors@2.8.6 on the edge-case table', () => {
  test.each(table)('%s', (name, options, [method, headers]) => {
    const expected = runOnce(cors, options, method, headers)
    const actual = runOnce(rustCors, options, method, headers)
    expect(actual).toEqual(expected)
  })
  test.each(varyCases)('%s', (name, options, [method, headers], vary) => {
    const expected = runOnce(cors, options, method, headers, vary)
    const actual = runOnce(rustCors, options, method, headers, vary)
    expect(actual).toEqual(expected)
  })
})

describe('observable details', () => {
  test('#3 exact preflight output', () => {
    const out = runOnce(rustCors, undefined, ...P)
    expect(out.calls).toEqual([
      ['setHeader', 'Access-Control-Allow-Origin', '*'],
      ['setHeader', 'Access-Control-Allow-Methods', 'GET,HEAD,PUT,PATCH,POST,DELETE'],
      ['setHeader', 'Vary', 'Access-Control-Request-Headers'],
      ['setHeader', 'Access-Control-Allow-Headers', 'X-A, x-b'],
      ['setHeader', 'Content-Length', '0'],
      ['end', 204, 0]
    ])
    expect(out.next).toBe('not called')
  })

  test('#50 a g-flag RegExp alternates exactly like cors (shared lastIndex)', () => {
    const seq = (factory) => {
      const mw = factory({ origin: /example\.com$/g })
      const out = []
      for (let i = 0; i < 4; i++) {
        const res = require('./helpers/mock').mockResponse()
        mw({ method: 'GET', headers: { origin: 'http://example.com' } }, res, () => {})
        out.push(res.getHeader('Access-Control-Allow-Origin') || null)
      }
      return out
    }
    expect(seq(rustCors)).toEqual(['http://example.com', null, 'http://example.com', null])
    expect(seq(rustCors)).toEqual(seq(cors))
  })

  test('#51 a y-flag RegExp not anchored at 0 never matches', () => {
    expect(runOnce(rustCors, { origin: /example\.com$/y }, ...G)).toEqual(runOnce(cors, { origin: /example\.com$/y }, ...G))
  })

  test('synchronous throws from an origin callback propagate as in cors', () => {
    const opts = { origin: () => { throw new Error('sync') } }
    expect(runOnce(cors, opts, ...G).threw).toBe('Error')
    expect(runOnce(rustCors, opts, ...G).threw).toBe('Error')
  })

  test('asynchronous origin callbacks', async () => {
    const mw = rustCors({ origin: (o, cb) => setImmediate(() => cb(null, o === 'http://example.com')) })
    const res = require('./helpers/mock').mockResponse()
    await new Promise((resolve) => mw({ method: 'GET', headers: { origin: 'http://example.com' } }, res, resolve))
    expect(res.getHeader('Access-Control-Allow-Origin')).toBe('http://example.com')
  })

  test('a delegate returning fresh, equal objects compiles once', () => {
    const native = require('../lib/native')
    const spy = jest.spyOn(native, 'compilePolicy')
    let calls = 0
    const mw = rustCors((req, cb) => { calls++; cb(null, { origin: [/^http:\/\/example\.com$/], maxAge: 5 }) })
    const origins = []
    for (let i = 0; i < 50; i++) {
      const res = require('./helpers/mock').mockResponse()
      mw({ method: 'GET', headers: { origin: i % 2 ? 'http://example.com' : 'http://other.com' } }, res, () => {})
      origins.push(res.getHeader('Access-Control-Allow-Origin') || null)
    }
    expect(calls).toBe(50)
    expect(spy).toHaveBeenCalledTimes(1)
    spy.mockRestore()
    expect(origins.filter(Boolean)).toHaveLength(25)
  })
})

describe('documented differences: broken configurations throw at construction', () => {
  test.each([
    [{ methods: undefined }, /`methods`/],
    [{ methods: null }, /`methods`/],
    [{ optionsSuccessStatus: undefined }, /`optionsSuccessStatus`/],
    [{ optionsSuccessStatus: 42 }, /`optionsSuccessStatus`/],
    [{ exposedHeaders: { join: 1 } }, /`exposedHeaders`/]
  ])('%p', (options, re) => {
    expect(() => rustCors(options)).toThrow(TypeError)
    expect(() => rustCors(options)).toThrow(re)
  })

  test('cors really does break on methods: undefined (preflight throws)', () => {
    expect(runOnce(cors, { methods: undefined }, ...P).threw).toBe('TypeError')
  })

  test('preflightContinue makes optionsSuccessStatus irrelevant', () => {
    expect(() => rustCors({ preflightContinue: true, optionsSuccessStatus: undefined })).not.toThrow()
  })

  test('a self-containing origin array is refused', () => {
    const a = ['http://a.com']
    a.push(a)
    expect(() => rustCors({ origin: a })).toThrow(/`origin`/)
  })
})

describe('exports and loading', () => {
  test('module.exports, .default and .rustCors are the factory', () => {
    expect(typeof rustCors).toBe('function')
    expect(rustCors.default).toBe(rustCors)
    expect(rustCors.rustCors).toBe(rustCors)
    expect(typeof rustCors.explain).toBe('function')
  })

  test('ESM: default and named imports', () => {
    const code = "import cors, { rustCors, explain } from 'rust-cors'; " +
      "if (cors !== rustCors || typeof explain !== 'function') process.exit(3); " +
      'const res = { h: {}, getHeader (n) { return this.h[n] }, setHeader (n, v) { this.h[n] = v } }; ' +
      "cors()({ method: 'GET', headers: {} }, res, () => console.log(res.h['Access-Control-Allow-Origin']))"
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: path.join(__dirname, '..'), encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.stdout.trim()).toBe('*')
  })

  test('an unbuilt addon gives an error that says how to build it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-cors-unbuilt-'))
    fs.copyFileSync(path.join(__dirname, '..', 'index.js'), path.join(dir, 'index.js'))
    fs.cpSync(path.join(__dirname, '..', 'lib'), path.join(dir, 'lib'), { recursive: true })
    fs.symlinkSync(path.join(__dirname, '..', 'node_modules'), path.join(dir, 'node_modules'))
    const r = spawnSync(process.execPath, ['-e', "try { require('./index.js') } catch (e) { console.log(e.code + ' ' + e.message) }"], { cwd: dir, encoding: 'utf8' })
    fs.rmSync(dir, { recursive: true, force: true })
    expect(r.stdout).toMatch(/^RUST_CORS_NATIVE_MISSING /)
    expect(r.stdout).toMatch(/not built/)
    expect(r.stdout).toMatch(/npm run build/)
  })
})

describe('delegates re-read what cors re-reads', () => {
  test('an allow-list array the app mutates is seen on the next request', () => {
    const allowed = ['http://a.com']
    const mw = rustCors((req, cb) => cb(null, { origin: allowed }))
    const acao = (origin) => {
      const res = require('./helpers/mock').mockResponse()
      mw({ method: 'GET', headers: { origin } }, res, () => {})
      return res.getHeader('Access-Control-Allow-Origin')
    }
    expect(acao('http://b.com')).toBeUndefined()
    allowed.push('http://b.com')
    expect(acao('http://b.com')).toBe('http://b.com')
  })

  test('a delegate returning the same object, mutated, is re-read', () => {
    const opts = { origin: 'http://a.com' }
    const mw = rustCors((req, cb) => cb(null, opts))
    const acao = () => {
      const res = require('./helpers/mock').mockResponse()
      mw({ method: 'GET', headers: { origin: 'http://x.com' } }, res, () => {})
      return res.getHeader('Access-Control-Allow-Origin')
    }
    expect(acao()).toBe('http://a.com')
    opts.origin = 'http://b.com'
    expect(acao()).toBe('http://b.com')
  })
})

describe("a delegate's previous policy is reused only while every value is unchanged", () => {
  // Each side gets its own options (its own RegExp objects, whose lastIndex moves).
  function sequence (factory, steps) {
    const opts = { origin: [/^http:\/\/a\.com$/g, 'http://b.com'], credentials: true }
    const mw = factory((req, cb) => cb(null, opts))
    const seen = []
    for (const [change, origin, method] of steps) {
      if (change) change(opts)
      const res = require('./helpers/mock').mockResponse()
      let nexted = false
      mw({ method: method || 'GET', headers: { origin } }, res, () => { nexted = true })
      seen.push([origin, res.calls, nexted])
    }
    return seen
  }

  test('stateful RegExps swapped, arrays replaced or mutated, keys added and removed: like cors', () => {
    const steps = [
      [null, 'http://a.com'],
      [null, 'http://a.com'], // a /g RegExp: cors's answer alternates with lastIndex
      [(o) => { o.origin[0] = /^http:\/\/a\.com$/g }, 'http://a.com'], // same source, a fresh object
      [null, 'http://a.com'],
      [(o) => { o.origin = o.origin.slice() }, 'http://b.com'],
      [(o) => { o.origin.push('http://c.com') }, 'http://c.com'],
      [(o) => { o.origin.pop() }, 'http://c.com'],
      [(o) => { o.methods = ['GET'] }, 'http://b.com', 'OPTIONS'],
      [(o) => { delete o.methods }, 'http://b.com', 'OPTIONS'],
      [(o) => { o.origin = [[[[['http://d.com']]]]] }, 'http://d.com'],
      [(o) => { o.origin[0][0][0][0].push('http://e.com') }, 'http://e.com'],
      [(o) => { o.credentials = false }, 'http://e.com']
    ]
    expect(sequence(rustCors, steps)).toEqual(sequence(cors, steps))
  })
})

describe("a list's recent answers", () => {
  test('origins cycling through more than the four remembered answers keep their own verdicts, like cors', () => {
    const long = 'https://' + 'a'.repeat(600) + '.example.com'
    const opts = { origin: ['https://a.example.com', /^https:\/\/[a-z]+\.example\.net$/, 'https://b.example.com'] }
    const origins = ['https://a.example.com', 'https://x.example.net', 'https://c.example.com', 'https://b.example.com',
      'https://a.example.co', 'https://y.example.net', long, 'https://A.example.com', 'https://1.example.net']
    const sequence = []
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < origins.length; i++) sequence.push(origins[(i * (round + 1)) % origins.length])
    }
    // Fresh string objects, as node:http gives them.
    const fresh = (o) => Buffer.from(o, 'latin1').toString('latin1')
    const rust = rustCors(opts)
    const ref = cors(opts)
    for (const origin of sequence) {
      const a = runOnce(() => rust, undefined, 'GET', { origin: fresh(origin) })
      const b = runOnce(() => ref, undefined, 'GET', { origin: fresh(origin) })
      expect([origin, a]).toEqual([origin, b])
    }
  })

  test('patterns too', () => {
    const mw = rustCors({ origin: ['https://*.example.com', 'https://exact.example.org'] })
    const allowed = { 'https://a.example.com': true, 'https://example.com': false, 'https://exact.example.org': true, 'https://b.c.example.com': true, 'https://a.example.org': false, 'http://a.example.com': false }
    const names = Object.keys(allowed)
    for (let i = 0; i < 60; i++) {
      const origin = names[(Math.floor(i / 2) + (i % 3)) % names.length]
      const r = runOnce(() => mw, undefined, 'GET', { origin: Buffer.from(origin).toString() })
      expect([origin, r.calls.some(([, name, value]) => name === 'Access-Control-Allow-Origin' && value === origin)]).toEqual([origin, allowed[origin]])
    }
  })
})

describe('header values holding control characters cross from Rust intact', () => {
  test('NUL and SOH in methods, allowedHeaders, exposedHeaders and maxAge are sent as cors sends them', () => {
    const opts = {
      methods: ['GET\u0000X', 'A\u0001B', '\u00010'],
      allowedHeaders: 'X-\u0001\u0000-Y',
      exposedHeaders: ['\u0000', 'Z\u00011'],
      maxAge: 'a\u0000b'
    }
    for (const [method, headers] of [P, G]) {
      const rust = runOnce(rustCors, opts, method, headers)
      expect(rust).toEqual(runOnce(cors, opts, method, headers))
    }
    const preflight = runOnce(rustCors, opts, ...P).calls
    expect(preflight).toContainEqual(['setHeader', 'Access-Control-Allow-Methods', 'GET\u0000X,A\u0001B,\u00010'])
  })
})

describe('mixed Rust and JS RegExps', () => {
  test('an origin above Latin-1 that only a JS-only RegExp matches', () => {
    // /^x$/ is translated (and answers "ask JS" for this input); the lookahead runs in JS.
    const opts = { origin: [/^http:\/\/x\.com$/, /^http:\/\/(?=\u4e2d).\.com$/] }
    const origin = 'http://\u4e2d.com'
    expect(runOnce(rustCors, opts, 'GET', { origin })).toEqual(runOnce(cors, opts, 'GET', { origin }))
    expect(runOnce(rustCors, opts, 'GET', { origin }).calls[0]).toEqual(['setHeader', 'Access-Control-Allow-Origin', origin])
  })
})

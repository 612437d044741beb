'use strict'

// Hostile requests: huge, odd and repeated headers, odd methods, and a RegExp
// that backtracks catastrophically in JS. Wherever cors@2.8.6 defines an
// answer, rust-cors must give the same one; nothing may throw out of the
// middleware, and the cost stays bounded (asserted by counting work, or
// against 100x a normal request, never by a tight absolute time).

const http = require('node:http')
const cors = require('cors')
const rustCors = require('..')

const { runRecorded: run, silenceWarnings } = require('./helpers/mock')

// The misconfiguration warnings of the policies below are expected here.
silenceWarnings()

// Runs the same request through cors and rust-cors built from the same options.
// Long strings are shown as their length and a hash, so a failure stays readable.
function compact (v) {
  if (typeof v === 'string' && v.length > 120) {
    let h = 0
    for (let i = 0; i < v.length; i++) h = (Math.imul(h, 31) + v.charCodeAt(i)) | 0
    return v.slice(0, 40) + `…(${v.length} chars, #${(h >>> 0).toString(16)})`
  }
  if (Array.isArray(v)) return v.map(compact)
  if (v && typeof v === 'object') {
    const o = {}
    for (const k of Object.keys(v)) o[k] = compact(v[k])
    return o
  }
  return v
}

// Runs the same request through cors and rust-cors built from the same options.
function same (options, method, headers) {
  const expected = run(cors(options()), method, headers)
  const actual = run(rustCors(options()), method, headers)
  try {
    expect(actual.threw).toBeNull()
    expect(compact(actual)).toEqual(compact(expected))
  } catch (e) {
    e.message = `options ${String(options).replace(/\s+/g, ' ')}, ${JSON.stringify(compact(method))} ${JSON.stringify(compact(headers))}\n` + e.message
    throw e
  }
  return actual
}

// Policies with an answer defined by cors. (Origin patterns such as
// 'https://*.example.com' are a rust-cors extension: cors compares them as
// plain strings, so they are tested on their own below.)
const POLICIES = {
  default: () => undefined,
  reflect: () => ({ origin: true, credentials: true }),
  fixed: () => ({ origin: 'https://app.example.com' }),
  list: () => ({ origin: ['https://app.example.com', /^https:\/\/[a-z0-9-]+\.example\.org$/i, 'null'] }),
  unicodeRegExp: () => ({ origin: [/^https:\/\/[\w\u00e0-\u00ff-]+\.example\.com$/iu, /\x00|\x7f/] }), // eslint-disable-line no-control-regex -- control characters are the hostile input
  headers: () => ({ origin: 'https://app.example.com', allowedHeaders: ['Content-Type', 'X-Token'], exposedHeaders: 'X-Id', maxAge: 600 }),
  stateful: () => ({ origin: [/example\.com$/g, 'https://b.example.net'] })
}

function eachPolicy (fn) {
  for (const [name, options] of Object.entries(POLICIES)) fn(name, options)
}

// -- real node:http ------------------------------------------------------------

// The Origin the server saw, as ASCII (JSON with \u escapes).
function seen (origin) {
  return JSON.stringify(origin === undefined ? null : origin)
    .replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
}

function serve (mw, serverOptions) {
  const server = http.createServer(Object.assign({ keepAlive: true }, serverOptions), (req, res) => {
    try {
      mw(req, res, (err) => {
        res.statusCode = err ? 500 : 200
        res.setHeader('X-Seen-Origin', seen(req.headers.origin))
        res.end('next')
      })
    } catch (e) {
      res.statusCode = 599
      res.end('threw')
    }
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

function request (server, method, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.address().port, method, path: '/', headers, agent: false, maxHeaderSize: 1 << 20 }, (res) => {
      let body = ''
      res.setEncoding('latin1')
      res.on('data', (c) => { body += c })
      res.on('end', () => {
        const h = Object.assign({}, res.headers)
        delete h.date
        delete h.connection
        delete h['keep-alive']
        resolve({ status: res.statusCode, headers: h, body })
      })
    })
    req.setTimeout(10000, () => req.destroy(new Error('client timeout')))
    req.on('error', reject)
    req.end()
  })
}

async function sameOverHttp (options, method, headers, serverOptions) {
  const a = await serve(cors(options()), serverOptions)
  const b = await serve(rustCors(options()), serverOptions)
  try {
    const expected = await request(a, method, headers)
    const actual = await request(b, method, headers)
    expect(actual).toEqual(expected)
    return actual
  } finally {
    a.close()
    b.close()
  }
}

// -- the tests -----------------------------------------------------------------

// Cost bounds on a shared, noisy machine: each side is the fastest of several runs (noise only
// ever adds time), and the bound is never below an absolute floor (a tiny, lucky base must not
// make 100x a few milliseconds). A backtracking or quadratic path costs seconds, far above both.
const REPEATS = 5
const FLOOR_NS = 1e9
const fastest = (measure) => Math.min(...Array.from({ length: REPEATS }, measure))

describe('hostile Origin values', () => {
  const big = 'https://' + 'a'.repeat(8 * 1024 - 20) + '.example.com'
  const bigOrg = 'https://' + 'b'.repeat(8 * 1024 - 20) + '.example.org'

  test('an 8 KB Origin, allowed and denied, simple and preflight, every policy', () => {
    eachPolicy((name, options) => {
      for (const origin of [big, bigOrg, big + '!', 'https://' + 'é'.repeat(8192)]) {
        same(options, 'GET', { origin })
        same(options, 'OPTIONS', { origin, 'access-control-request-method': 'PUT' })
      }
    })
    // and it is actually allowed where a RegExp says so
    expect(run(rustCors(POLICIES.list()), 'GET', { origin: bigOrg }).headers['access-control-allow-origin']).toBe(bigOrg)
  })

  test('an 8 KB Origin over real node:http', async () => {
    const r = await sameOverHttp(POLICIES.list, 'GET', { Origin: bigOrg }, { maxHeaderSize: 64 * 1024 })
    expect(r.headers['access-control-allow-origin']).toBe(bigOrg)
  })

  test('origins around the matcher\'s 512-unit stack buffer are read whole', () => {
    // The native matcher reads the Origin as UTF-16 into a 512-unit buffer
    // and rereads longer ones: a cut at the boundary would change answers.
    const options = { origin: [/^https:\/\/a+\.example\.com$/, 'https://*.example.org'] }
    for (let length = 505; length <= 520; length++) {
      const hit = 'https://' + 'a'.repeat(length - 'https://'.length - '.example.com'.length) + '.example.com'
      for (const origin of [hit, hit + '!', hit.slice(0, -1), hit.replace(/a\.example/, '\uD800.example')]) {
        expect([length, run(rustCors(options), 'GET', { origin })]).toEqual([length, run(cors(options), 'GET', { origin })])
      }
      expect(run(rustCors(options), 'GET', { origin: hit }).headers['access-control-allow-origin']).toBe(hit)
    }
  })

  test('Latin-1 (obs-text) characters in Origin', () => {
    const origins = [
      'https://\u00e9t\u00e9.example.com', 'https://\u00c9T\u00c9.EXAMPLE.COM', 'https://caf\u00e9.example.org',
      'https://\u00ff\u00fe.example.com', 'https://a.example.com\u00a0', '\u00b5', 'https://\u00df.example.com',
      'https://a\u0080.example.com', 'https://*.example.com'
    ]
    eachPolicy((name, options) => {
      for (const origin of origins) {
        same(options, 'GET', { origin })
        same(options, 'OPTIONS', { origin })
      }
    })
  })

  test('Latin-1 characters in Origin over real node:http (sent as raw bytes)', async () => {
    // Node reads header bytes as Latin-1: each byte becomes one code unit.
    const origin = 'https://caf\u00e9.example.com'
    const r = await sameOverHttp(POLICIES.unicodeRegExp, 'GET', { Origin: Buffer.from(origin, 'latin1').toString('latin1') })
    expect(r.headers['x-seen-origin']).toBe(seen(origin))
    expect(r.headers['access-control-allow-origin']).toBeDefined()
    await sameOverHttp(POLICIES.list, 'GET', { Origin: 'https://caf\u00e9.example.org' })
    await sameOverHttp(POLICIES.reflect, 'OPTIONS', { Origin: 'https://\u00e9t\u00e9.example.com' })
  })

  test('control characters in Origin (only reachable without an HTTP parser)', () => {
    const controls = ['\u0000', '\u0001', '\t', '\n', '\r', '\r\n', '\u001b[31m', '\u007f']
    eachPolicy((name, options) => {
      for (const c of controls) {
        for (const origin of [c, 'https://a.example.com' + c, c + 'https://a.example.com', 'https://a' + c + '.example.org']) {
          same(options, 'GET', { origin })
          same(options, 'OPTIONS', { origin, 'access-control-request-headers': c })
        }
      }
    })
  })

  test('an empty Origin, "null", and no Origin at all', () => {
    eachPolicy((name, options) => {
      for (const headers of [{ origin: '' }, { origin: 'null' }, { origin: 'NULL' }, {}]) {
        same(options, 'GET', headers)
        same(options, 'OPTIONS', headers)
      }
    })
    // 'null' is only allowed where it is listed
    expect(run(rustCors(POLICIES.list()), 'GET', { origin: 'null' }).headers['access-control-allow-origin']).toBe('null')
    expect(run(rustCors(POLICIES.fixed()), 'GET', { origin: 'null' }).headers['access-control-allow-origin']).toBe('https://app.example.com')
  })

  test('an empty Origin and "null" over real node:http', async () => {
    for (const name of ['reflect', 'list', 'fixed']) {
      await sameOverHttp(POLICIES[name], 'GET', { Origin: '' })
      await sameOverHttp(POLICIES[name], 'OPTIONS', { Origin: 'null' })
    }
  })

  test('a repeated Origin header over real node:http (Node joins it with ", ")', async () => {
    const origin = ['https://app.example.com', 'https://evil.example.org']
    for (const name of Object.keys(POLICIES)) {
      const r = await sameOverHttp(POLICIES[name], 'GET', { Origin: origin })
      expect(r.headers['x-seen-origin']).toBe(seen(origin.join(', ')))
      await sameOverHttp(POLICIES[name], 'OPTIONS', { Origin: origin, 'Access-Control-Request-Method': 'PUT' })
    }
    // A joined value is never an allowed origin of a list (the reflecting
    // policies reflect it verbatim, exactly as cors does).
    const r = await sameOverHttp(POLICIES.list, 'GET', { Origin: ['https://app.example.com', 'https://app.example.com'] })
    expect(r.headers['access-control-allow-origin']).toBeUndefined()
  })
})

describe('hostile origins against origin patterns (a rust-cors extension)', () => {
  const mw = () => rustCors({ origin: ['https://*.example.com', 'http://localhost:*'] })
  const acao = (origin, method) => {
    const r = run(mw(), method || 'GET', origin === undefined ? {} : { origin })
    expect(r.threw).toBeNull()
    return r.headers['access-control-allow-origin']
  }

  test('long, Latin-1, control-character, empty and null origins never match by accident', () => {
    // A host of valid labels matches up to 253 bytes, the longest DNS name; no page has a longer one.
    const longestHost = [0, 1, 2].map((i) => 'l' + 'a'.repeat(58) + i).concat('b'.repeat(58)).join('.') + '.example.com'
    expect(longestHost.length).toBe(253)
    expect(acao('https://' + longestHost)).toBe('https://' + longestHost)
    expect(acao('https://c' + longestHost)).toBeUndefined()
    const labels = Array.from({ length: 130 }, (_, i) => 'l' + 'a'.repeat(58) + i).join('.')
    const long = 'https://' + labels + '.example.com' // 8 KB of valid 60-byte labels
    expect(long.length).toBeGreaterThan(7900)
    expect(acao(long)).toBeUndefined()
    const tooLongLabel = 'https://' + 'a'.repeat(8192) + '.example.com' // a DNS label is at most 63
    expect(acao(tooLongLabel)).toBeUndefined()
    for (const origin of ['https://\u00e9.example.com', 'https://a.example.com\u0000', 'https://a\r\n.example.com',
      'https://a.example.com\t', '', 'null', 'https://*.example.com', 'https://example.com', 'https://a.example.com.evil.net',
      'https://evil-example.com', 'https://a.example.com, https://evil.net', 'http://localhost:0x50', 'http://localhost:99999']) {
      expect([origin, acao(origin), acao(origin, 'OPTIONS')]).toEqual([origin, undefined, undefined])
    }
    expect(acao('https://a.b.example.com')).toBe('https://a.b.example.com')
    expect(acao('http://localhost:5173', 'options')).toBe('http://localhost:5173')
    expect(acao(undefined)).toBeUndefined()
  })
})

describe('hostile Access-Control-Request-Headers', () => {
  const names = Array.from({ length: 10000 }, (_, i) => 'X-Header-' + i).join(',')
  const commas = ','.repeat(10000)

  test('10,000 header names and 10,000 commas, reflected or fixed, like cors', () => {
    eachPolicy((name, options) => {
      for (const acrh of [names, commas, ' , '.repeat(10000), names.toLowerCase() + ',' + commas]) {
        const r = same(options, 'OPTIONS', { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': acrh })
        if (name !== 'headers' && r.headers['access-control-allow-headers'] !== undefined) {
          // reflected verbatim, never parsed
          expect(r.headers['access-control-allow-headers']).toBe(acrh)
        }
        same(options, 'GET', { origin: 'https://app.example.com', 'access-control-request-headers': acrh })
      }
    })
  })

  test('10,000 header names over real node:http', async () => {
    const r = await sameOverHttp(POLICIES.list, 'OPTIONS', {
      Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': names
    }, { maxHeaderSize: 1 << 20 })
    expect(r.status).toBe(204)
    expect(r.headers['access-control-allow-headers']).toBe(names)
    await sameOverHttp(POLICIES.reflect, 'OPTIONS', { Origin: 'https://x', 'Access-Control-Request-Headers': commas }, { maxHeaderSize: 1 << 20 })
  })

  test('a huge request-headers list costs what a normal one does, per byte (100x bound)', () => {
    const mw = rustCors(POLICIES.list())
    const time = (acrh, n) => {
      const t0 = process.hrtime.bigint()
      for (let i = 0; i < n; i++) run(mw, 'OPTIONS', { origin: 'https://app.example.com', 'access-control-request-headers': acrh })
      return Number(process.hrtime.bigint() - t0)
    }
    time('content-type', 2000) // warm up
    const base = fastest(() => time('content-type', 2000))
    const huge = fastest(() => time(names, 2000))
    expect(huge).toBeLessThan(Math.max(base * 100, FLOOR_NS))
  })
})

describe('hostile methods', () => {
  const methods = ['options', 'Options', 'oPtIoNs', 'get', 'post', 'PROPFIND', 'BREW', 'M-SEARCH', '', 'OPTIONS ', ' OPTIONS', 'OPTIONS\u0000', 'x'.repeat(10000), undefined, null, 42]

  test('lower-case and unknown methods, every policy, like cors', () => {
    eachPolicy((name, options) => {
      for (const method of methods) {
        same(options, method, { origin: 'https://app.example.com', 'access-control-request-headers': 'x-a' })
        same(options, method, {})
      }
    })
    // a lower-case options is a preflight for both
    expect(run(rustCors(), 'options', { origin: 'https://a' }).status).toBe(204)
  })

  test('unknown methods over real node:http', async () => {
    for (const method of ['PROPFIND', 'M-SEARCH', 'PURGE', 'QUERY']) {
      await sameOverHttp(POLICIES.list, method, { Origin: 'https://app.example.com' })
    }
  })
})

describe('catastrophic backtracking', () => {
  const evil = /^https:\/\/(a+)+\.example\.com$/
  const attack = 'https://' + 'a'.repeat(28) + '!'

  test('(a+)+ against "https://" + "a" x 28 + "!" is decided in Rust, in linear time', () => {
    const mw = rustCors({ origin: [evil] })
    const spy = jest.spyOn(RegExp.prototype, 'test')
    const execSpy = jest.spyOn(RegExp.prototype, 'exec')
    try {
      const r = run(mw, 'GET', { origin: attack })
      expect(r.threw).toBeNull()
      expect(r.next).toBe(1)
      expect(r.headers['access-control-allow-origin']).toBeUndefined()
      // The JS RegExp (exponential here: ~2^28 steps) never ran.
      expect(spy).not.toHaveBeenCalled()
      expect(execSpy).not.toHaveBeenCalled()
    } finally {
      spy.mockRestore()
      execSpy.mockRestore()
    }
    expect(run(mw, 'GET', { origin: 'https://aaaa.example.com' }).headers['access-control-allow-origin']).toBe('https://aaaa.example.com')
  })

  test('hostile origins cost at most 100x a normal one (distinct origins: no cache)', () => {
    const mw = rustCors({ origin: [evil, /^https:\/\/(?:(?:a|aa)*)*b\.example\.com$/] })
    const time = (make, n) => {
      const t0 = process.hrtime.bigint()
      for (let i = 0; i < n; i++) run(mw, 'GET', { origin: make(i) })
      return Number(process.hrtime.bigint() - t0)
    }
    time((i) => 'https://w' + i + '.example.com', 3000) // warm up
    const base = fastest(() => time((i) => 'https://n' + i + '.example.com', 3000))
    const hostile = fastest(() => time((i) => 'https://' + 'a'.repeat(28 + (i % 8)) + '!' + i, 3000))
    expect(hostile).toBeLessThan(Math.max(base * 100, FLOOR_NS))
  })

  test('over real node:http the server keeps answering', async () => {
    const server = await serve(rustCors({ origin: [evil] }))
    try {
      const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => request(server, 'GET', { Origin: 'https://' + 'a'.repeat(28 + i) + '!' })))
      for (const r of rs) {
        expect(r.status).toBe(200)
        expect(r.headers['access-control-allow-origin']).toBeUndefined()
      }
    } finally {
      server.close()
    }
  })
})

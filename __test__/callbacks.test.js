'use strict'

// Callbacks that misbehave: origin callbacks and options delegates that
// throw, call back with an error, call back twice, never call back, or are
// async (Promise-returning) and resolve or reject. Where cors@2.8.6 defines
// the answer rust-cors gives the same one (a synchronous throw propagates;
// an error goes to next(err)); a second call back is ignored with one
// RustCorsWarning (RUST_CORS_CALLBACK_TWICE) per policy; a callback that
// never answers stalls only its own request.

const path = require('node:path')
const { spawnSync } = require('node:child_process')
const http = require('node:http')
const cors = require('cors')
const rustCors = require('..')
const { runInChild } = require('./helpers/child')

function mockRes () {
  const headers = new Map()
  return {
    statusCode: 200,
    ended: 0,
    getHeader (n) { const e = headers.get(n.toLowerCase()); return e && e[1] },
    setHeader (n, v) { headers.set(n.toLowerCase(), [n, v]) },
    removeHeader (n) { headers.delete(n.toLowerCase()) },
    end () { this.ended++ },
    headers () {
      const o = {}
      for (const [k, [, v]] of headers) o[k] = String(v)
      return o
    }
  }
}

// Runs one request; resolves once the middleware has finished it (next or
// end) and `settle` ms more have passed (to catch a second call), or after
// `hang` ms with `hung: true`. The default is long (a slow request on a loaded
// machine is not a hung one; a request that finishes costs no more for it);
// the tests that expect a hang pass a short `hang` of their own.
const HANG_MS = 10000
function runAsync (mw, method, headers, { settle = 20, hang = HANG_MS } = {}) {
  return new Promise((resolve) => {
    const res = mockRes()
    const out = { next: [], threw: null, sync: false, hung: false }
    let finished = false
    let syncPhase = true
    const finish = () => {
      if (finished) return
      finished = true
      out.sync = syncPhase
      setTimeout(() => {
        clearTimeout(hangTimer)
        resolve(Object.assign(out, { status: res.statusCode, ended: res.ended, headers: res.headers() }))
      }, settle)
    }
    const origEnd = res.end
    res.end = function () { origEnd.call(this); finish() }
    const hangTimer = setTimeout(() => {
      if (finished) return
      finished = true
      out.hung = true
      resolve(Object.assign(out, { status: res.statusCode, ended: res.ended, headers: res.headers() }))
    }, hang)
    try {
      mw({ method, headers: Object.assign({}, headers), url: '/' }, res, (err) => { out.next.push(err); finish() })
    } catch (e) {
      out.threw = e
      finish()
    }
    syncPhase = false
  })
}

async function same (makeOptions, method, headers, opts) {
  const expected = await runAsync(cors(makeOptions()), method, headers, opts)
  const actual = await runAsync(rustCors(makeOptions()), method, headers, opts)
  expect(actual).toEqual(expected)
  return actual
}

const ORIGIN = 'https://app.example.com'
const GET = ['GET', { origin: ORIGIN }]
const PREFLIGHT = ['OPTIONS', { origin: ORIGIN, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-a' }]

let warnings
let warnSpy
beforeEach(() => {
  warnings = []
  warnSpy = jest.spyOn(process, 'emitWarning').mockImplementation((msg, opts) => { warnings.push(Object.assign({ msg }, opts)) })
})
afterEach(() => warnSpy.mockRestore())

describe('callbacks that throw', () => {
  test('an origin callback that throws: the error propagates synchronously, like cors', async () => {
    const boom = new Error('boom')
    for (const [method, headers] of [GET, PREFLIGHT]) {
      const r = await same(() => ({ origin: () => { throw boom } }), method, headers)
      expect(r.threw).toBe(boom)
      expect(r.sync).toBe(true)
      expect(r.next).toEqual([])
    }
    // a non-Error value thrown
    const r = await same(() => ({ origin: () => { throw 'str' } }), ...GET) // eslint-disable-line no-throw-literal
    expect(r.threw).toBe('str')
  })

  test('an options delegate that throws: the error propagates synchronously, like cors', async () => {
    const boom = new TypeError('delegate')
    for (const [method, headers] of [GET, PREFLIGHT]) {
      const r = await same(() => () => { throw boom }, method, headers)
      expect(r.threw).toBe(boom)
    }
  })

  test('a callback that calls back and then throws: the request is answered, then the throw propagates, like cors', async () => {
    const r = await same(() => ({ origin: (o, cb) => { cb(null, true); throw new Error('after') } }), ...GET)
    expect(r.next).toEqual([undefined])
    expect(r.threw.message).toBe('after')
    await same(() => (req, cb) => { cb(null, { origin: true }); throw new Error('after') }, ...PREFLIGHT)
  })
})

describe('callbacks that call back with an error', () => {
  test('origin callback error, sync and async: next(err), no CORS headers, like cors', async () => {
    const err = new Error('denied')
    for (const [method, headers] of [GET, PREFLIGHT]) {
      const a = await same(() => ({ origin: (o, cb) => cb(err) }), method, headers)
      expect(a.next).toEqual([err])
      const b = await same(() => ({ origin: (o, cb) => setImmediate(() => cb(err, true)) }), method, headers)
      expect(b.next).toEqual([err])
      expect(b.headers).toEqual({})
    }
    // odd error values: a string, a number, an object
    for (const e of ['nope', 42, { code: 1 }]) await same(() => ({ origin: (o, cb) => cb(e) }), ...GET)
  })

  test('delegate error, sync and async: next(err), like cors', async () => {
    const err = new Error('no options')
    for (const [method, headers] of [GET, PREFLIGHT]) {
      await same(() => (req, cb) => cb(err), method, headers)
      await same(() => (req, cb) => setTimeout(() => cb(err), 1), method, headers)
    }
  })

  test('falsy origin values (false, 0, "", NaN, null, undefined): next() without CORS headers, like cors', async () => {
    for (const v of [false, 0, '', NaN, null, undefined]) {
      for (const [method, headers] of [GET, PREFLIGHT]) {
        const r = await same(() => ({ origin: (o, cb) => cb(null, v) }), method, headers)
        expect(r.headers['access-control-allow-origin']).toBeUndefined()
      }
    }
  })
})

describe('callbacks that call back twice', () => {
  const twice = (list) => list.filter((w) => w.code === 'RUST_CORS_CALLBACK_TWICE')

  test('origin callback: the second call is ignored, one RustCorsWarning per process', async () => {
    const mw = rustCors({ origin: (o, cb) => { cb(null, true); cb(null, false); cb(new Error('third')) } })
    const r1 = await runAsync(mw, ...GET)
    expect(r1.next).toEqual([undefined])
    expect(r1.headers['access-control-allow-origin']).toBe(ORIGIN)
    const r2 = await runAsync(mw, ...PREFLIGHT)
    expect(r2.ended).toBe(1)
    expect(r2.next).toEqual([])
    expect(twice(warnings)).toHaveLength(1)
    expect(twice(warnings)[0].type).toBe('RustCorsWarning')
    expect(twice(warnings)[0].msg).toMatch(/origin callback/)
    // another policy does not repeat the same warning (once per process)
    const other = rustCors({ origin: (o, cb) => { setImmediate(() => cb(null, false)); cb(null, ORIGIN) } })
    const r3 = await runAsync(other, ...GET, { settle: 30 })
    expect(r3.next).toEqual([undefined])
    expect(r3.headers['access-control-allow-origin']).toBe(ORIGIN)
    await runAsync(other, ...GET, { settle: 30 })
    expect(twice(warnings)).toHaveLength(1)
  })

  test('cors, by contrast, runs the rest of the middleware twice', async () => {
    const r = await runAsync(cors({ origin: (o, cb) => { cb(null, true); cb(null, true) } }), ...GET)
    expect(r.next).toHaveLength(2)
  })

  test('options delegate: the second call is ignored, one warning per policy', async () => {
    const mw = rustCors((req, cb) => { cb(null, { origin: ORIGIN }); cb(null, { origin: false }) })
    for (let i = 0; i < 3; i++) {
      const r = await runAsync(mw, ...GET)
      expect(r.next).toEqual([undefined])
      expect(r.headers['access-control-allow-origin']).toBe(ORIGIN)
    }
    expect(twice(warnings)).toHaveLength(1)
    expect(twice(warnings)[0].msg).toMatch(/options delegate/)
  })

  test('an error after a success (and a success after an error) is ignored too', async () => {
    const a = await runAsync(rustCors({ origin: (o, cb) => { cb(null, true); setImmediate(() => cb(new Error('late'))) } }), ...GET, { settle: 30 })
    expect(a.next).toEqual([undefined])
    const err = new Error('first')
    const b = await runAsync(rustCors({ origin: (o, cb) => { cb(err); cb(null, true) } }), ...GET)
    expect(b.next).toEqual([err])
    expect(b.headers).toEqual({})
  })
})

describe('callbacks that never call back', () => {
  function get (port, origin, timeout) {
    return new Promise((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/', headers: { Origin: origin }, agent: false }, (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode, acao: res.headers['access-control-allow-origin'] }))
      })
      req.setTimeout(timeout, () => { req.destroy(); resolve({ timedOut: true }) })
      req.on('error', (e) => resolve({ error: e.code || e.message }))
      req.end()
    })
  }

  for (const kind of ['origin callback', 'options delegate']) {
    test(`a stuck ${kind} stalls only its own request (real node:http)`, async () => {
      const stuck = 'https://stuck.example.com'
      const decide = (origin, cb) => { if (origin !== stuck) cb(null, origin.endsWith('.example.com')) }
      const mw = kind === 'origin callback'
        ? rustCors({ origin: decide })
        : rustCors((req, cb) => decide(req.headers.origin, () => cb(null, { origin: req.headers.origin.endsWith('.example.com') ? req.headers.origin : false })))
      const server = http.createServer((req, res) => mw(req, res, () => res.end('ok')))
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
      const port = server.address().port
      try {
        const hung = get(port, stuck, 1500)
        const others = []
        for (let i = 0; i < 60; i++) others.push(get(port, i % 2 ? `https://a${i}.example.com` : `https://a${i}.evil.net`, 10000))
        const rs = await Promise.all(others)
        rs.forEach((r, i) => {
          expect(r.status).toBe(200)
          expect(r.acao).toBe(i % 2 ? `https://a${i}.example.com` : undefined)
        })
        expect(await hung).toEqual({ timedOut: true })
        // and the server still answers after the stuck client gave up
        expect((await get(port, 'https://after.example.com', 10000)).acao).toBe('https://after.example.com')
      } finally {
        server.closeAllConnections()
        server.close()
      }
    })
  }
})

describe('async (Promise-returning) callbacks', () => {
  test('an async origin function resolving to a boolean, a string, a list', async () => {
    const allow = rustCors({ origin: async (o) => o.endsWith('.example.com') })
    expect((await runAsync(allow, ...GET)).headers['access-control-allow-origin']).toBe(ORIGIN)
    const denied = await runAsync(allow, 'GET', { origin: 'https://evil.net' })
    expect(denied.next).toEqual([null]) // as cb(null, false) gives with cors
    expect(denied.headers['access-control-allow-origin']).toBeUndefined()
    const pre = await runAsync(allow, ...PREFLIGHT)
    expect(pre.status).toBe(204)
    expect(pre.ended).toBe(1)
    const list = rustCors({ origin: () => Promise.resolve(['https://x.example.org', /^https:\/\/app\./]) })
    expect((await runAsync(list, ...GET)).headers['access-control-allow-origin']).toBe(ORIGIN)
    expect((await runAsync(list, 'GET', { origin: 'https://x.example.org' })).headers['access-control-allow-origin']).toBe('https://x.example.org')
    const fixed = rustCors({ origin: async () => 'https://fixed.example.com' })
    expect((await runAsync(fixed, ...GET)).headers['access-control-allow-origin']).toBe('https://fixed.example.com')
  })

  test('a rejecting origin function: next(err); a rejection without a reason becomes an Error', async () => {
    const err = new Error('rejected')
    const r = await runAsync(rustCors({ origin: async () => { throw err } }), ...GET)
    expect(r.next).toEqual([err])
    expect(r.headers).toEqual({})
    const u = await runAsync(rustCors({ origin: () => Promise.reject(undefined) }), ...GET) // eslint-disable-line prefer-promise-reject-errors
    expect(u.next).toHaveLength(1)
    expect(u.next[0]).toBeInstanceOf(Error)
    expect(u.next[0].message).toMatch(/origin callback rejected/)
  })

  test('an async function that takes the callback waits for it, like cors', async () => {
    const opts = () => ({ origin: async (o, cb) => { setTimeout(() => cb(null, true), 5) } })
    const r = await same(opts, ...GET)
    expect(r.headers['access-control-allow-origin']).toBe(ORIGIN)
    await same(opts, ...PREFLIGHT)
  })

  test('a callback that answers and also returns a rejecting Promise: the callback wins, no unhandled rejection', () => {
    // In a child process: jest's sandbox never fires a test's 'unhandledRejection' listener.
    // A control rejection, left unhandled on purpose, proves the listener fires there.
    const script = `
      const rustCors = require(${JSON.stringify(path.join(__dirname, '..'))})
      const unhandled = []
      process.on('unhandledRejection', (e) => unhandled.push(e.message))
      process.emitWarning = () => {}
      const headers = {}
      const res = { statusCode: 200, getHeader: (n) => headers[n.toLowerCase()], setHeader: (n, v) => { headers[n.toLowerCase()] = v }, end () {} }
      const next = []
      const mw = rustCors({ origin: (o, cb) => { cb(null, true); return Promise.reject(new Error('late')) } })
      mw({ method: 'GET', headers: { origin: ${JSON.stringify(ORIGIN)} }, url: '/' }, res, (err) => next.push(err === undefined ? 'undefined' : String(err)))
      Promise.reject(new Error('control'))
      setTimeout(() => console.log(JSON.stringify({ next, acao: headers['access-control-allow-origin'], unhandled })), 100)
    `
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30000 })
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toEqual({ next: ['undefined'], acao: ORIGIN, unhandled: ['control'] })
  })

  test('async options delegates resolving and rejecting', async () => {
    const ok = rustCors(async (req) => ({ origin: req.headers.origin, credentials: true, maxAge: 60 }))
    const r = await runAsync(ok, ...PREFLIGHT)
    expect(r.headers['access-control-allow-origin']).toBe(ORIGIN)
    expect(r.headers['access-control-allow-credentials']).toBe('true')
    expect(r.headers['access-control-max-age']).toBe('60')
    const err = new Error('no')
    expect((await runAsync(rustCors(async () => { throw err }), ...GET)).next).toEqual([err])
    // a delegate resolving to sloppy options is answered as cors answers it
    // (no credentials header for a string), with a warning, never next(err)
    const sloppy = await runAsync(rustCors(async () => ({ credentials: 'yes' })), ...GET)
    expect(sloppy.next).toEqual([undefined])
    expect(sloppy.headers['access-control-allow-credentials']).toBeUndefined()
    // and resolving to an async origin function
    const nested = rustCors(async () => ({ origin: async (o) => o === ORIGIN }))
    expect((await runAsync(nested, ...GET)).headers['access-control-allow-origin']).toBe(ORIGIN)
  })

  test('a Promise that never settles stalls only its request', async () => {
    const mw = rustCors({ origin: (o) => o === 'https://never.example.com' ? new Promise(() => {}) : Promise.resolve(true) })
    const stuck = await runAsync(mw, 'GET', { origin: 'https://never.example.com' }, { hang: 100 })
    expect(stuck.hung).toBe(true)
    expect(stuck.next).toEqual([])
    expect((await runAsync(mw, ...GET)).headers['access-control-allow-origin']).toBe(ORIGIN)
  })

  test('a returned thenable whose `then` getter or method throws does not throw out of the middleware', async () => {
    const getter = { get then () { throw new Error('then getter') } }
    const method = { then () { throw new Error('then method') } }
    for (const hostile of [getter, method]) {
      // the callback answered first: as with cors, the return value is ignored
      const r = await same(() => ({ origin: (o, cb) => { cb(null, true); return hostile } }), ...GET)
      expect(r.threw).toBeNull()
      expect(r.next).toEqual([undefined])
      // no answer yet: the throw counts as a rejection
      const e = await runAsync(rustCors({ origin: () => hostile }), ...GET)
      expect(e.threw).toBeNull()
      expect(e.next).toHaveLength(1)
      expect(e.next[0].message).toMatch(/^then /)
    }
  })

  test('a synchronous thenable answers one turn later, like any thenable; what the rest of the chain throws then is not swallowed', () => {
    const { result } = runInChild(`
      process.on('uncaughtException', (e) => { result.uncaught = e.message })
      process.on('unhandledRejection', (e) => { result.unhandled = String(e && e.message) })
      const mw = rustCors({ origin: () => ({ then (resolve) { resolve(true) } }) })
      const res = mockResponse()
      let thrownSync = null
      try {
        mw(mockRequest('GET', { origin: 'https://app.example.com' }), res, () => { throw new Error('downstream') })
      } catch (e) { thrownSync = e.message }
      result.thrownSync = thrownSync
      result.acaoSync = res.getHeader('Access-Control-Allow-Origin') || null
      await new Promise((resolve) => setTimeout(resolve, 50))
      result.acao = res.getHeader('Access-Control-Allow-Origin')
    `)
    // as when cors's callback answers asynchronously and next() throws
    expect(result).toEqual({ thrownSync: null, acaoSync: null, acao: ORIGIN, uncaught: 'downstream' })
  })
})

// #20.3: promise or callback is decided by what the function does, never by
// fn.length. Each shape is run through cors@2.8.6 and rust-cors.
describe('a function that returns a thenable and calls back', () => {
  const TENANT = 'https://tenant.example.com'
  const noop = () => {}
  const later = (fn) => setTimeout(fn, 5)
  // callback-style functions whose length is below 2 and that return a
  // Promise of undefined before calling back
  const originShapes = {
    'async (origin, cb = noop)': (v) => async (o, cb = noop) => { later(() => cb(null, v)) },
    'rest parameters': (v) => (...args) => { later(() => args[1](null, v)); return Promise.resolve() },
    'an instrumentation wrapper': (v) => {
      const f = async (o, cb) => { later(() => cb(null, v)) }
      return function () { return f.apply(this, arguments) }
    }
  }

  for (const [name, shape] of Object.entries(originShapes)) {
    test(`origin function, ${name}: waits for the callback, like cors`, async () => {
      expect(shape(true).length).toBeLessThan(2)
      for (const [method, headers] of [GET, PREFLIGHT]) {
        const allowed = await same(() => ({ origin: shape(true) }), method, headers)
        expect(allowed.headers['access-control-allow-origin']).toBe(ORIGIN)
        const refused = await same(() => ({ origin: shape(false) }), method, headers)
        expect(refused.headers['access-control-allow-origin']).toBeUndefined()
      }
    })

    test(`options delegate, ${name}: waits for the callback instead of answering with the defaults`, async () => {
      const delegate = () => shape({ origin: TENANT, credentials: true })
      for (const [method, headers] of [GET, PREFLIGHT]) {
        const r = await same(delegate, method, headers)
        expect(r.headers['access-control-allow-origin']).toBe(TENANT)
        expect(r.headers['access-control-allow-credentials']).toBe('true')
      }
    })
  }

  // Promise(true), then cb(null, false) queued every way that runs before
  // the next turn of the event loop
  const schedulers = {
    queueMicrotask: (fn) => queueMicrotask(fn),
    'process.nextTick': (fn) => process.nextTick(fn),
    setImmediate: (fn) => setImmediate(fn),
    'a resolved Promise': (fn) => Promise.resolve().then(fn)
  }
  for (const [name, schedule] of Object.entries(schedulers)) {
    test(`origin function returning Promise(true) then calling cb(null, false) by ${name}: refused, like cors`, async () => {
      for (const [method, headers] of [GET, PREFLIGHT]) {
        const r = await same(() => ({ origin: (o, cb) => { schedule(() => cb(null, false)); return Promise.resolve(true) } }), method, headers)
        expect(r.headers['access-control-allow-origin']).toBeUndefined()
      }
      const d = await same(() => (req, cb) => { schedule(() => cb(null, { origin: false })); return Promise.resolve({ origin: '*' }) }, ...GET)
      expect(d.headers['access-control-allow-origin']).toBeUndefined()
    })
  }

  test('a rejection before the callback: the callback still answers, like cors', async () => {
    // (cors would also leave the rejection unhandled: it is compared with the
    // same function returning nothing)
    const answer = (o, cb) => { setImmediate(() => cb(null, true)) }
    for (const [method, headers] of [GET, PREFLIGHT]) {
      const expected = await runAsync(cors({ origin: answer }), method, headers)
      const actual = await runAsync(rustCors({ origin: (o, cb) => { answer(o, cb); return Promise.reject(new Error('stray')) } }), method, headers)
      expect(actual).toEqual(expected)
    }
  })

  test('a callback after the Promise answered is ignored, with a warning', async () => {
    const mw = rustCors({ origin: (o, cb) => { setTimeout(() => cb(null, false), 10); return Promise.resolve(true) } })
    const r = await runAsync(mw, ...GET, { settle: 40 })
    expect(r.next).toEqual([undefined])
    const twice = warnings.filter((w) => w.code === 'RUST_CORS_CALLBACK_TWICE' && /after its returned Promise/.test(w.msg))
    expect(twice.length).toBeLessThanOrEqual(1) // once per process: an earlier test may have printed it
  })

  test('a Promise of undefined and no callback: waits, like cors, and says why once', () => {
    const { warnings: w, result } = runInChild(`
      const mw = rustCors({ origin: async (o) => { if (o === 'https://ok.example') return true } })
      const outcomes = []
      for (const origin of ['https://no.example', 'https://no2.example', 'https://ok.example']) {
        const res = mockResponse()
        mw(mockRequest('GET', { origin }), res, () => outcomes.push(origin))
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
      result.outcomes = outcomes
    `)
    expect(result.outcomes).toEqual(['https://ok.example'])
    expect(w.map((x) => x.code)).toEqual(['RUST_CORS_PROMISE_UNDEFINED'])
    expect(w[0].message).toMatch(/false to refuse/)
  })
})

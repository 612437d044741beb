'use strict'

// Harness pieces shared by bench.js: flat strings, mock and real req/res,
// per-row fresh module instances, generated (monomorphic) timing loops.

const http = require('node:http')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '..')

// The HTTP parser hands middleware flat one-byte strings. Template literals and
// `+` give cons strings, which make `===` / Set lookups much slower on first use
// and would distort both sides. A round trip through Buffer flattens.
function flat (s) {
  return Buffer.from(String(s), 'latin1').toString('latin1')
}

function flatHeaders (headers) {
  const out = {}
  for (const k of Object.keys(headers)) out[k.toLowerCase()] = flat(headers[k])
  return out
}

// ---------------------------------------------------------------- mock req/res

function mockReq (method, headers) {
  return { method, url: '/', headers: flatHeaders(headers) }
}

// A mock res that behaves like Node's for the calls cors makes (names are
// case-insensitive, getHeader returns what was set). One instance per task,
// reset in the timed loop, never allocated per iteration. Kept cheap on
// purpose (memoised lower-casing, fixed slots, reset = count to 0), so the
// floor is the middleware's calls and not the mock: ~60-90 ns per setHeader
// less than a Map + toLowerCase mock, the same absolute amount on every side.
const LOWER = new Map()
function lower (name) {
  let l = LOWER.get(name)
  if (l === undefined) {
    l = String(name).toLowerCase()
    LOWER.set(name, l)
  }
  return l
}

class MockResponse {
  constructor () {
    this.statusCode = 200
    this.headersSent = false
    this.finished = false
    this.ends = 0
    this.n = 0
    this.keys = new Array(16).fill('')
    this.names = new Array(16).fill('')
    this.vals = new Array(16).fill('')
  }

  _find (k) {
    const keys = this.keys
    for (let i = 0; i < this.n; i++) if (keys[i] === k) return i
    return -1
  }

  setHeader (name, value) {
    const k = lower(name)
    let i = this._find(k)
    if (i === -1) {
      i = this.n++
      this.keys[i] = k
    }
    this.names[i] = name
    this.vals[i] = value
    return this
  }

  getHeader (name) {
    const i = this._find(lower(name))
    return i === -1 ? undefined : this.vals[i]
  }

  hasHeader (name) { return this._find(lower(name)) !== -1 }
  removeHeader (name) {
    const i = this._find(lower(name))
    if (i === -1) return
    const last = --this.n
    this.keys[i] = this.keys[last]
    this.names[i] = this.names[last]
    this.vals[i] = this.vals[last]
  }

  getHeaderNames () { return this.keys.slice(0, this.n) }
  getHeaders () {
    const o = Object.create(null)
    for (let i = 0; i < this.n; i++) o[this.keys[i]] = this.vals[i]
    return o
  }

  end () { this.finished = true; this.ends++; return this }
}

function resetMock (res) {
  res.n = 0
  res.statusCode = 200
  res.finished = false
}

// ---------------------------------------------------------------- real req/res

// http.IncomingMessage without a socket, headers set the way the parser does
// (lower-case keys, flat strings), then a real http.ServerResponse for it.
function realReq (method, headers) {
  const req = new http.IncomingMessage(null)
  req.method = method
  req.url = '/'
  req.httpVersionMajor = 1
  req.httpVersionMinor = 1
  req.httpVersion = '1.1'
  req.headers = flatHeaders(headers)
  return req
}

let kOutHeaders = null
function realRes (req) {
  const res = new http.ServerResponse(req)
  if (kOutHeaders === null) {
    kOutHeaders = Object.getOwnPropertySymbols(res).find((s) => s.description === 'kOutHeaders')
    if (!kOutHeaders) throw new Error('cannot find the kOutHeaders symbol on http.ServerResponse')
  }
  return res
}

// Puts a ServerResponse back to its just-constructed state as far as anything
// cors/rust-cors/end() touches is concerned, so header state and outputData do
// not accumulate. end() without a socket serialises the header block (real
// cost, kept) and queues it in outputData (dropped here).
function resetReal (res) {
  res[kOutHeaders] = null
  res.statusCode = 200
  res.statusMessage = undefined
  res.finished = false
  res._header = null
  res._headerSent = false
  res._hasBody = true
  res._contentLength = null
  res.outputData.length = 0
  res.outputSize = 0
}

// Node's setHeader/getHeader do `headers[name.toLowerCase()]` on a
// null-prototype object. While that keyed access has only ever seen ONE header
// name, V8 keeps name-specific feedback and every fresh (non-internalised)
// lower-cased key takes a slow path: ~1.5-2 us per setHeader instead of ~0.2.
// In a real server these sites have seen many names (Express alone sets
// several), so warm them megamorphic once per process, before any row, as an
// app would have. Without this the first real-res row measures a V8 cliff.
function prewarmRealResponse (iterations = 200000) {
  const names = ['Content-Type', 'X-Powered-By', 'ETag', 'Content-Length', 'Cache-Control', 'Set-Cookie', 'Location', 'Last-Modified', 'Vary', 'Access-Control-Allow-Origin']
  const req = realReq('GET', { origin: 'https://warm.example.com' })
  const res = realRes(req)
  let n = 0
  for (let i = 0; i < iterations; i++) {
    const name = names[i % names.length]
    res.setHeader(name, 'x')
    if (res.getHeader(names[(i + 3) % names.length]) !== undefined) n++
    if (res.hasHeader(name)) n++
    if ((i & 7) === 7) {
      res.removeHeader(names[(i + 5) % names.length])
      res.statusCode = 204
      res.end()
      resetReal(res)
    }
  }
  resetReal(res)
  return n
}

// ------------------------------------------------------------ fresh modules

// Each row gets fresh instances of cors (and vary, object-assign) and of the
// rust-cors JS wrapper, so V8 type feedback from one row's options / res shape
// does not leak into the next, roughly like one config per process. The .node
// addon itself stays loaded (it is cached by its own require.cache entry).
const FRESH_RE = /[\\/]node_modules[\\/](cors|vary|object-assign)[\\/]/
function isOwnJs (file) {
  if (!file.startsWith(ROOT + path.sep)) return false
  if (file.includes(`${path.sep}node_modules${path.sep}`)) return false
  if (file.startsWith(__dirname + path.sep)) return false
  return file.endsWith('.js') || file.endsWith('.cjs')
}

function loadFresh (id, fresh) {
  if (fresh) {
    for (const file of Object.keys(require.cache)) {
      if (FRESH_RE.test(file) || isOwnJs(file)) delete require.cache[file]
    }
  }
  return require(id)
}

// ------------------------------------------------------------- timing loops

// Fresh header strings. node:http hands every request NEW strings for its
// header values (the parser copies them out of the socket buffer), so the
// per-request identity of a string cannot be used to skip work. Each request
// of a pool keeps one Buffer per header value; the timed loop replaces every
// header value with `buffer.toString('latin1')` right before calling the
// middleware: a new flat one-byte string per request and per header, the
// same code and the same allocation on the cors, rust-cors and floor sides.
function freshSources (reqs) {
  const names = Object.keys(reqs[0].headers)
  const buffers = names.map(() => [])
  for (const req of reqs) {
    const own = Object.keys(req.headers)
    if (own.length !== names.length || own.some((name, i) => name !== names[i])) {
      throw new Error('every request of a pool must carry the same header names')
    }
    names.forEach((name, i) => buffers[i].push(Buffer.from(req.headers[name], 'latin1')))
  }
  return { names, buffers }
}

// A separately compiled loop per task (new Function = new SharedFunctionInfo,
// own feedback), so the `mw(...)` call site stays monomorphic per task. Every
// iteration takes the next request of the pool (a cursor that survives
// between batches), gives it fresh header strings (see freshSources), resets
// the response and calls the middleware.
function makeLoop (mw, reqs, res, reset) {
  if ((reqs.length & (reqs.length - 1)) !== 0) throw new Error('request pool size must be a power of two')
  const { names, buffers } = freshSources(reqs)
  const refresh = names.map((name, i) => `h[${JSON.stringify(name)}] = buffers[${i}][k].toString('latin1')`).join('\n        ')
  const src = `
    'use strict'
    let nexts = 0
    function next (err) { nexts++ }
    const mask = reqs.length - 1
    // The pool position carries over from one batch to the next: a batch is
    // often shorter than the pool (slow rows run a handful of calls per
    // sample), and restarting at 0 would replay the first few requests only.
    let cursor = 0
    return function run (n) {
      for (let i = 0; i < n; i++) {
        const k = cursor++ & mask
        const req = reqs[k]
        const h = req.headers
        ${refresh}
        reset(res)
        mw(req, res, next)
      }
      return nexts
    }`
  // eslint-disable-next-line no-new-func
  return new Function('mw', 'reqs', 'res', 'reset', 'buffers', src)(mw, reqs, res, reset, buffers)
}

// Record what a middleware does to a fresh response: sorted header pairs,
// status, whether it ended and whether next() ran (with or without an error).
function observe (mw, req, makeRes, reset) {
  const res = makeRes(req)
  reset(res)
  let nextArg = 'no'
  let sync = true
  mw(req, res, (err) => { nextArg = err ? `error:${err.message || err}` : 'yes' })
  sync = nextArg !== 'no' || res.finished
  const names = typeof res.getHeaderNames === 'function' ? res.getHeaderNames() : []
  const headers = names.map((n) => [n.toLowerCase(), String(res.getHeader(n))]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  return { status: res.finished ? res.statusCode : null, ended: !!res.finished, next: nextArg, sync, headers }
}

function sameObservation (a, b) {
  return JSON.stringify(a) === JSON.stringify(b)
}

// A function compiled on its own (new Function), so that each side of a row
// gets its own copy of a delegate or wrapper with its own type feedback.
function compiled (params, body, ...args) {
  // eslint-disable-next-line no-new-func
  return new Function(...params, `'use strict'\n${body}`)(...args)
}

// Builds the floor for a shape: the observed setHeader calls (in the order the
// reference made them, constant strings), status and end(), no logic. For
// rotating request pools whose ACAO echoes the request origin, the floor reads
// that one header (`echoOrigin`).
function makeFloor (calls, { status, ended, next, echoOrigin }) {
  const lines = []
  for (const [name, value] of calls) {
    if (echoOrigin && name.toLowerCase() === 'access-control-allow-origin') {
      lines.push(`res.setHeader(${JSON.stringify(name)}, req.headers.origin)`)
    } else {
      lines.push(`res.setHeader(${JSON.stringify(name)}, ${JSON.stringify(value)})`)
    }
  }
  if (ended) {
    lines.push(`res.statusCode = ${status}`)
    lines.push('res.end()')
  }
  if (next === 'yes') lines.push('next()')
  // eslint-disable-next-line no-new-func
  return new Function('req', 'res', 'next', `'use strict'\n${lines.join('\n')}`)
}

// Wraps a res so every setHeader call (name, value as passed) is recorded; used
// once per shape to derive the floor from cors's own behaviour.
function recordCalls (mw, req, makeRes, reset) {
  const res = makeRes(req)
  reset(res)
  const calls = []
  const orig = res.setHeader
  res.setHeader = function (name, value) { calls.push([name, String(value)]); return orig.call(this, name, value) }
  let nextArg = 'no'
  mw(req, res, (err) => { nextArg = err ? 'error' : 'yes' })
  // collapse repeated sets of one header (vary() may set Vary twice) to the last value
  const last = new Map()
  for (const [n, v] of calls) last.set(n.toLowerCase(), [n, v])
  const ordered = []
  const seen = new Set()
  for (const [n] of calls) {
    const k = n.toLowerCase()
    if (!seen.has(k)) { seen.add(k); ordered.push(last.get(k)) }
  }
  return { calls: ordered, status: res.statusCode, ended: !!res.finished, next: nextArg }
}

module.exports = {
  flat,
  flatHeaders,
  mockReq,
  MockResponse,
  resetMock,
  realReq,
  realRes,
  resetReal,
  prewarmRealResponse,
  loadFresh,
  makeLoop,
  freshSources,
  compiled,
  observe,
  sameObservation,
  makeFloor,
  recordCalls,
  ROOT
}

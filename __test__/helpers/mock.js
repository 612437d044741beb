'use strict'

const http = require('node:http')

// In-memory req/res like the ones cors's own unit tests use: only method and
// headers on the request; getHeader/setHeader/statusCode/end on the response.
// Every call is recorded, so two middlewares can be compared call by call.

function mockRequest (method, headers) {
  return { method, headers: headers || {} }
}

function mockResponse (initialVary) {
  const store = new Map()
  const calls = []
  if (initialVary !== undefined) store.set('vary', initialVary)
  return {
    calls,
    statusCode: 200,
    getHeader (name) { return store.get(String(name).toLowerCase()) },
    setHeader (name, value) {
      calls.push(['setHeader', name, value])
      store.set(String(name).toLowerCase(), value)
    },
    end (...args) { calls.push(['end', this.statusCode, args.length]) }
  }
}

// A response that keeps each header's name and value, for comparing what two
// middlewares left on it: headers() gives { lower-case name: value }.
function recordingResponse () {
  const headers = new Map()
  return {
    statusCode: 200,
    ended: false,
    getHeader (n) { const e = headers.get(n.toLowerCase()); return e && e[1] },
    setHeader (n, v) { headers.set(n.toLowerCase(), [n, v]) },
    removeHeader (n) { headers.delete(n.toLowerCase()) },
    end () { this.ended = true },
    headers () {
      const o = {}
      for (const [k, [, v]] of headers) o[k] = Array.isArray(v) ? v.map(String) : String(v)
      return o
    }
  }
}

// Run one request through a middleware factory and describe everything it did.
function runOnce (factory, options, method, headers, initialVary) {
  const req = mockRequest(method, headers)
  const res = mockResponse(initialVary)
  const out = { calls: res.calls, next: 'not called', threw: null }
  try {
    factory(options)(req, res, function (...args) {
      out.next = args.length === 0 ? 'next()' : `next(${String(args[0])})`
    })
  } catch (e) {
    out.threw = e.constructor.name
  }
  return out
}

// What a built middleware did with one request on a recordingResponse():
// headers, status, end(), how often next() ran and with what, or what it threw.
function runRecorded (mw, method, headers) {
  const req = { method, headers: Object.assign({}, headers), url: '/' }
  const res = recordingResponse()
  const out = { next: 0, nextArg: undefined, nextErr: null, threw: null }
  try {
    mw(req, res, (err) => {
      out.next++
      out.nextArg = err
      out.nextErr = err ? String(err.message || err) : null
    })
  } catch (e) {
    out.threw = e && e.constructor ? e.constructor.name : String(e)
  }
  return Object.assign(out, { status: res.statusCode, ended: res.ended, headers: res.headers() })
}

// Silence the RustCorsWarnings a test file provokes on purpose.
function silenceWarnings () {
  let spy
  beforeAll(() => { spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => {}) })
  afterAll(() => spy.mockRestore())
}

// A real http.ServerResponse (Node's own header table and getHeader), whose
// end() only records that it was called.
function serverResponse () {
  const res = new http.ServerResponse(new http.IncomingMessage(null))
  res.ended = false
  res.end = function () { this.ended = true }
  return res
}

// One request through a middleware, as text that two implementations can be
// compared by: the setHeader calls in order (values as text: cors keeps some
// values as given, rust-cors writes their text), the status end() saw, what
// next() got, and the class of what was thrown.
function runTraced (mw, method, origin, acrh) {
  const headers = {}
  if (origin !== undefined) headers.origin = origin
  if (method === 'OPTIONS') headers['access-control-request-method'] = 'PUT'
  if (acrh !== undefined) headers['access-control-request-headers'] = acrh
  const store = new Map()
  const out = { calls: [], next: null, threw: null, status: null }
  const res = {
    statusCode: 200,
    getHeader (name) { return store.get(String(name).toLowerCase()) },
    setHeader (name, value) {
      out.calls.push([name, Array.isArray(value) ? value.map(String) : String(value)])
      store.set(String(name).toLowerCase(), value)
    },
    end () { out.status = String(this.statusCode) }
  }
  try {
    mw({ method, headers }, res, (err) => { out.next = err ? `error ${err.message}` : 'next' })
  } catch (e) {
    out.threw = e.constructor.name
  }
  return out
}

module.exports = { mockRequest, mockResponse, recordingResponse, runOnce, runRecorded, runTraced, silenceWarnings, serverResponse }

'use strict'

// rustCors.explain(options, { method, headers, credentials }): what rust-cors
// would send for one request, and what a browser would decide about it.
// The headers come from running the real middleware on an in-memory
// request/response; the verdict comes from the browser's rules in Rust
// (src/fetch.rs), the same code the `rust-cors check` command uses.

const native = require('./native')
const { describeValue } = require('./compile')

// The response side of the middleware, recorded in memory.
function recorder () {
  const headers = new Map()
  return {
    headers,
    statusCode: 200,
    ended: false,
    getHeader (name) {
      const h = headers.get(String(name).toLowerCase())
      return h === undefined ? undefined : h[1]
    },
    setHeader (name, value) {
      const key = String(name).toLowerCase()
      const prev = headers.get(key)
      headers.set(key, [prev ? prev[0] : String(name), value])
    },
    end () {
      this.ended = true
    }
  }
}

// An unsafe placeholder value, so that every name a browser listed in
// Access-Control-Request-Headers counts as needing permission.
const LISTED = '\u0001'

function pairs (map) {
  const out = []
  for (const [, [name, value]] of map) {
    const values = Array.isArray(value) ? value : [value]
    for (const v of values) out.push([name, String(v)])
  }
  return out
}

function lowerHeaders (h) {
  const out = {}
  if (h === undefined || h === null) return out
  if (typeof h !== 'object') {
    throw new TypeError(`rust-cors: explain(): \`request.headers\` must be an object of request headers; got ${describeValue(h)}`)
  }
  for (const k of Object.keys(h)) {
    if (h[k] !== undefined) out[k.toLowerCase()] = Array.isArray(h[k]) ? h[k].join(', ') : String(h[k])
  }
  return out
}

const NOT_AUTHOR_HEADERS = new Set(['origin', 'host', 'access-control-request-method', 'access-control-request-headers', 'content-length', 'connection'])

function verdict (request, headers, res, preflight, passedOn) {
  const reasons = []
  const origin = headers.origin
  if (origin === undefined) {
    reasons.push({
      code: 'NO_ORIGIN',
      severity: 'warning',
      message: 'The request has no Origin header: it is same-origin or not from a browser, and CORS does not restrict it.',
      fix: 'Add an Origin header to see what a cross-origin browser request would get.'
    })
    return { allowed: true, reasons }
  }
  const credentials = request.credentials === true
  const response = { status: res.ended ? res.statusCode : 200, headers: pairs(res.headers) }
  if (preflight) {
    const method = headers['access-control-request-method']
    if (method === undefined) {
      reasons.push({
        code: 'PREFLIGHT_WITHOUT_REQUEST_METHOD',
        severity: 'error',
        message: 'This OPTIONS request has no Access-Control-Request-Method, so it is not a browser preflight; cors answers it as one anyway.',
        fix: 'Send Access-Control-Request-Method with the method of the actual request (or use strictPreflight: true to answer 400).'
      })
      return { allowed: false, reasons }
    }
    if (passedOn) {
      reasons.push({
        code: 'PREFLIGHT_PASSED_ON',
        severity: 'warning',
        message: 'rust-cors passed this preflight on to the next handler (preflightContinue, or the origin was refused); the verdict assumes the app answers it with a 2xx status.',
        fix: 'Make sure a route answers OPTIONS, or leave preflightContinue off.'
      })
    }
    const listed = (headers['access-control-request-headers'] || '')
      .split(',').map((s) => s.trim()).filter(Boolean)
    const req = { origin, method, headers: listed.map((n) => [n, LISTED]), credentials }
    reasons.push(...native.checkPreflight(req, response))
  } else {
    const authored = Object.keys(headers).filter((k) => !NOT_AUTHOR_HEADERS.has(k)).map((k) => [k, headers[k]])
    const req = { origin, method: request.method || 'GET', headers: authored, credentials }
    reasons.push(...native.checkActual(req, response))
  }
  return { allowed: !reasons.some((r) => r.severity === 'error'), reasons }
}

function explain (rustCors, options, request) {
  if (request === null || typeof request !== 'object') {
    throw new TypeError(`rust-cors: explain(options, request): \`request\` must be an object like { method: 'OPTIONS', headers: { origin: 'https://a.example' } }; got ${describeValue(request)}`)
  }
  const method = request.method === undefined ? 'GET' : request.method
  if (typeof method !== 'string') {
    throw new TypeError(`rust-cors: explain(): \`request.method\` must be a string; got ${describeValue(method)}`)
  }
  const headers = lowerHeaders(request.headers)
  const diagnostics = []
  const mw = rustCors._create(options, diagnostics)
  const req = { method, headers }
  const res = recorder()
  let nextCalled = false
  let nextError
  let settled = false
  let resolveLater = null

  const finish = () => {
    const preflight = method.toUpperCase() === 'OPTIONS'
    const out = {}
    for (const [, [name, value]] of res.headers) out[name] = Array.isArray(value) ? value.join(', ') : String(value)
    const v = verdict(request, headers, res, preflight, nextCalled && preflight)
    const reasons = diagnostics.map((d) => ({ code: d.code, severity: 'warning', message: d.message, fix: '' }))
    if (nextError !== undefined && nextError !== null) {
      reasons.push({ code: 'CALLBACK_ERROR', severity: 'error', message: `The origin callback or options delegate failed: ${String(nextError && nextError.message ? nextError.message : nextError)}`, fix: 'Call back (null, false) to refuse an origin instead of passing an error.' })
    }
    reasons.push(...v.reasons)
    return {
      preflight,
      status: res.ended ? res.statusCode : null,
      headers: out,
      allowed: v.allowed && (nextError === undefined || nextError === null),
      reasons: reasons.map((r) => ({ code: r.code, message: r.message, severity: r.severity, fix: r.fix }))
    }
  }

  const done = () => {
    if (settled) return
    settled = true
    if (resolveLater) resolveLater(finish())
  }
  res.end = function () { this.ended = true; done() }
  mw(req, res, function (err) {
    nextCalled = true
    nextError = err
    done()
  })
  if (settled) return finish()
  // An asynchronous origin callback or delegate: answer with a Promise.
  return new Promise((resolve) => { resolveLater = resolve })
}

module.exports = { explain }

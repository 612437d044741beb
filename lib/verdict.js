'use strict'

// What a browser decides about one cross-origin request, by the Fetch
// Standard's rules in Rust (src/fetch/, through native): whether it sends
// a preflight and what it carries, the preflight check, the CORS check. The
// flow here only sequences them: a failed preflight stops the request.
// explain() and NODE_DEBUG both judge through this file.

const native = require('./native')

// An unsafe placeholder value, so that every name a browser listed in
// Access-Control-Request-Headers counts as needing permission.
const LISTED = '\u0001'

function splitNames (value) {
  return String(value || '').split(',').map((s) => s.trim()).filter(Boolean)
}

// Response headers as [name, value] pairs, from a getHeaders()-like object
// whose values may be strings, numbers or arrays.
function headerPairs (headers) {
  const pairs = []
  for (const name of Object.keys(headers)) {
    const value = headers[name]
    if (value === undefined) continue
    for (const v of Array.isArray(value) ? value : [value]) pairs.push([name, String(v)])
  }
  return pairs
}

// The status Node writes for a res.statusCode value (`value | 0`); one it
// refuses (outside 100-999) fails the request, which a browser sees as 0.
function wireStatus (value) {
  const status = value | 0
  return status >= 100 && status <= 999 ? status : 0
}

function hasError (reasons) {
  return reasons.some((r) => r.severity === 'error')
}

// A preflight as a server receives it (OPTIONS with Access-Control-Request-*),
// judged on its response. `response`: { status, headers: pairs }.
function judgePreflight (origin, requestHeaders, credentials, response) {
  const method = requestHeaders['access-control-request-method']
  if (method === undefined) {
    return [{
      code: 'PREFLIGHT_WITHOUT_REQUEST_METHOD',
      severity: 'error',
      message: 'This OPTIONS request has no Access-Control-Request-Method, so it is not a browser preflight; cors answers it as one anyway.',
      fix: 'Send Access-Control-Request-Method with the method of the actual request (or use strictPreflight: true to answer 400).'
    }]
  }
  const listed = splitNames(requestHeaders['access-control-request-headers']).map((name) => [name, LISTED])
  const reasons = response.passedOn ? [passedOnReason()] : []
  reasons.push(...native.checkPreflight({ origin, method: String(method), headers: listed, credentials }, response))
  return reasons
}

// A request as a page's script makes it: { origin, method, headers: pairs of
// author headers, credentials }. The flow (plan, preflight, stop after a
// failed preflight, the actual request) is Rust's BrowserFetch
// (src/fetch/flow.rs); each request it sends is answered here by the caller.

// The server is on an origin of its own, so that every page origin is cross-origin.
const SERVER_URL = 'https://server.rust-cors.invalid/'

function startFetch (request) {
  return new native.BrowserFetch({
    url: SERVER_URL,
    origin: request.origin,
    method: request.method,
    headers: request.headers,
    credentials: request.credentials,
    probeVary: false
  })
}

// What the server receives for one outgoing request of the flow.
function serverRequest (outgoing) {
  const headers = {}
  for (const [name, value] of outgoing.headers) headers[name.toLowerCase()] = value
  return { method: outgoing.method, headers, stage: outgoing.stage }
}

// Drive the flow: `respond(step, answer)` answers each request, calling
// `answer({ status, headers: pairs, passedOn })` once (at once or later);
// `done(result)` gets { preflight, allowed, reasons, last } where `last` is
// what respond() gave with the final answer.
function driveFetch (request, respond, done) {
  const fetch = startFetch(request)
  const refusal = fetch.refusal()
  if (refusal !== null) {
    return done({ preflight: false, allowed: false, reasons: [{ code: refusal.code, severity: 'error', message: refusal.message, fix: '' }], last: null })
  }
  const extra = []
  let preflight = false
  let last = null
  const next = () => {
    const outgoing = fetch.nextRequest()
    if (outgoing === null) {
      const outcome = fetch.outcome()
      const reasons = extra.concat(outcome.problems.map((p) => ({ code: p.code, severity: p.severity, message: p.message, fix: p.fix })))
      return done({ preflight, allowed: !hasError(reasons), reasons, last })
    }
    if (outgoing.stage === 'preflight') preflight = true
    respond(serverRequest(outgoing), (answer) => {
      last = answer
      if (answer.passedOn && outgoing.stage === 'preflight') extra.push(passedOnReason())
      fetch.receive({ status: answer.status, headers: answer.headers })
      next()
    })
  }
  next()
}

// The same, when every request is answered synchronously: respondTo(step)
// returns the answer.
function judgeFetch (request, respondTo) {
  let result
  driveFetch(request, (step, answer) => answer(respondTo(step)), (r) => { result = r })
  return result
}

// When rust-cors itself refused the origin, that is the one error to name:
// what a browser then sees (no Access-Control-Allow-Origin, a preflight
// passed on to routes that do not answer it) follows from it. `refusal`:
// { by: 'list' | 'callback', origin, nearMisses: [{ entry, serialized }] }.
function nameRefusal (reasons, refusal) {
  if (refusal === null || refusal.by === null) return reasons
  const kept = reasons.filter((r) => r.severity !== 'error' && r.code !== 'PREFLIGHT_PASSED_ON')
  kept.unshift(refusalReason(refusal))
  return kept
}

function refusalReason ({ by, origin, nearMisses }) {
  const shown = `'${String(origin).slice(0, 80)}'`
  if (by === 'callback') {
    return {
      code: 'ORIGIN_NOT_ALLOWED',
      severity: 'error',
      message: "This origin was refused by the origin callback: rust-cors, like cors, sent no CORS headers and passed the request on, so the browser finds no 'Access-Control-Allow-Origin' header.",
      fix: 'if this origin should be allowed, make the origin callback allow it (cb(null, true), or resolve to true)'
    }
  }
  const near = (nearMisses || []).find((m) => m.serialized === origin)
  if (near !== undefined) {
    const entry = `'${near.entry.slice(0, 100)}'`
    return {
      code: 'ORIGIN_NOT_ALLOWED',
      severity: 'error',
      message: `This origin is not in the origin list: the list has ${entry}, which is not how browsers write an origin and can never equal one, so no 'Access-Control-Allow-Origin' header is sent.`,
      fix: `write the entry ${entry} as ${shown} (RUST_CORS_ORIGIN_NEVER_MATCHES)`
    }
  }
  return {
    code: 'ORIGIN_NOT_ALLOWED',
    severity: 'error',
    message: "This origin is not in the origin list, so no 'Access-Control-Allow-Origin' header is sent.",
    fix: 'if this origin should be allowed, add it to the origin option'
  }
}

function passedOnReason () {
  return {
    code: 'PREFLIGHT_PASSED_ON',
    severity: 'warning',
    message: 'rust-cors passed this preflight on to the next handler (preflightContinue, or the origin was refused); the verdict assumes the app answers it with a 2xx status.',
    fix: 'Make sure a route answers OPTIONS, or leave preflightContinue off.'
  }
}

// Headers a browser or a proxy adds by itself: not what a script set, so not
// what decides a preflight when a server looks back at a request it got.
const NOT_AUTHORED = new Set([
  'user-agent', 'cache-control', 'pragma', 'priority', 'upgrade-insecure-requests', 'if-none-match',
  'if-modified-since', 'te', 'forwarded', 'via', 'x-forwarded-for', 'x-forwarded-host',
  'x-forwarded-proto', 'x-real-ip'
])

// The author headers of a request a server received (forbidden ones are
// dropped by the Rust plan itself).
function authoredHeaders (headers) {
  const pairs = []
  for (const name of Object.keys(headers)) {
    if (NOT_AUTHORED.has(name)) continue
    const value = headers[name]
    pairs.push([name, Array.isArray(value) ? value.join(', ') : String(value)])
  }
  return pairs
}

// The response side of the middleware, recorded in memory.
function recorder () {
  const headers = new Map()
  return {
    statusCode: 200,
    ended: false,
    getHeader (name) {
      const entry = headers.get(String(name).toLowerCase())
      return entry === undefined ? undefined : entry[1]
    },
    setHeader (name, value) {
      const key = String(name).toLowerCase()
      const previous = headers.get(key)
      headers.set(key, [previous ? previous[0] : String(name), value])
    },
    getHeaders () {
      const out = {}
      for (const [key, [, value]] of headers) out[key] = value
      return out
    },
    // The headers with the names as they were set, values as sent.
    namedHeaders () {
      const out = {}
      for (const [, [name, value]] of headers) out[name] = Array.isArray(value) ? value.join(', ') : String(value)
      return out
    },
    end () {
      this.ended = true
    }
  }
}

module.exports = {
  judgePreflight,
  judgeFetch,
  driveFetch,
  headerPairs,
  authoredHeaders,
  hasError,
  wireStatus,
  recorder,
  nameRefusal
}

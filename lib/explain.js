'use strict'

// rustCors.explain(options, request): what rust-cors sends for a request and
// what a browser decides about it. `request` is what the page's script does
// ({ method, headers (with origin), credentials }): the preflight is planned
// as a browser plans it, and each step (preflight, then the actual request)
// runs through the real middleware on an in-memory request and response, on
// copies of the options' RegExps. An OPTIONS request that carries
// Access-Control-Request-Method is taken as a preflight as a server receives it.
// The verdicts come from lib/verdict.js (the Fetch Standard's rules in Rust),
// the same as NODE_DEBUG's.

const verdict = require('./verdict')
const { describeValue } = require('./options')
const { REFUSAL, refusalSlot, nearMissesOf } = require('./refusal')

function lowerHeaders (headers) {
  const out = {}
  if (headers === undefined || headers === null) return out
  if (typeof headers !== 'object') {
    throw new TypeError(`rust-cors: explain(): \`request.headers\` must be an object of request headers; got ${describeValue(headers)}`)
  }
  for (const name of Object.keys(headers)) {
    const value = headers[name]
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value)
  }
  return out
}

// Run the middleware on one step; `done(result)` is called once, at once for
// synchronous callbacks. result: { status (null if passed on), headers,
// response (for the checks), error }.
function runStep (middleware, step, done) {
  const res = verdict.recorder()
  const refusal = refusalSlot()
  let finished = false
  const finish = (passedOn, error) => {
    if (finished) return
    finished = true
    done({
      status: passedOn ? null : res.statusCode,
      headers: res.namedHeaders(),
      response: { status: passedOn ? 200 : verdict.wireStatus(res.statusCode), headers: verdict.headerPairs(res.getHeaders()), passedOn },
      error,
      // why the middleware refused the origin, if it did: 'list' or 'callback'
      refusedBy: refusal.by
    })
  }
  res.end = function () { this.ended = true; finish(false, undefined) }
  const req = { method: step.method, headers: step.headers, [REFUSAL]: refusal }
  try {
    // The middleware was made with a findings sink: it never logs.
    middleware(req, res, (err) => finish(true, err))
  } catch (error) {
    // cors throws here too (a callback that throws, options that break
    // every preflight): the request fails.
    if (!finished) finish(false, { thrown: error })
  }
}

function callbackFailure (error) {
  if (error && error.thrown !== undefined) {
    const thrown = error.thrown
    return {
      code: 'MIDDLEWARE_ERROR',
      severity: 'error',
      message: `The middleware threw: ${String(thrown && thrown.message ? thrown.message : thrown)}`,
      fix: 'A callback or delegate that throws, or options that break every preflight, fail the request; fix what the message names.'
    }
  }
  return {
    code: 'CALLBACK_ERROR',
    severity: 'error',
    message: `The origin callback or options delegate failed: ${String(error && error.message ? error.message : error)}`,
    fix: 'Call back (null, false) to refuse an origin instead of passing an error.'
  }
}

function explain (create, options, request) {
  if (request === null || typeof request !== 'object') {
    throw new TypeError(`rust-cors: explain(options, request): \`request\` must be an object like { method: 'PUT', headers: { origin: 'https://a.example' } }; got ${describeValue(request)}`)
  }
  const method = request.method === undefined ? 'GET' : request.method
  if (typeof method !== 'string') {
    throw new TypeError(`rust-cors: explain(): \`request.method\` must be a string; got ${describeValue(method)}`)
  }
  const headers = lowerHeaders(request.headers)
  const credentials = request.credentials === true
  const findings = []
  const middleware = create(options, findings)
  const origin = headers.origin

  const answer = (preflight, last, reasons) => {
    const all = findings.map((f) => ({ code: f.code, severity: 'warning', message: f.message, fix: f.fix }))
    // A failure of the middleware is the one reason: what the browser then
    // sees (an error page without CORS headers) follows from it.
    if (last.error) reasons = [callbackFailure(last.error)]
    else if (last.refusedBy) reasons = verdict.nameRefusal(reasons, { by: last.refusedBy, origin, nearMisses: nearMissesOf(findings) })
    all.push(...reasons)
    return {
      preflight,
      status: last.status,
      headers: last.headers,
      allowed: !verdict.hasError(all),
      reasons: all.map((r) => ({ code: r.code, severity: r.severity, message: r.message, fix: r.fix }))
    }
  }

  let result
  let resolveLater = null
  const settle = (value) => {
    result = value
    if (resolveLater !== null) resolveLater(value)
  }

  if (origin === undefined) {
    const noOrigin = [{
      code: 'NO_ORIGIN',
      severity: 'warning',
      message: 'The request has no Origin header: it is same-origin or not from a browser, and CORS does not restrict it.',
      fix: 'Add an Origin header to see what a cross-origin browser request would get.'
    }]
    runStep(middleware, { method, headers }, (last) => settle(answer(method.toUpperCase() === 'OPTIONS', last, noOrigin)))
  } else if (method.toUpperCase() === 'OPTIONS') {
    // An OPTIONS request is judged as the preflight a server receives (with
    // or without Access-Control-Request-Method), as cors answers it.
    runStep(middleware, { method, headers }, (last) => {
      settle(answer(true, last, verdict.judgePreflight(origin, headers, credentials, last.response)))
    })
  } else {
    const authored = Object.keys(headers).filter((name) => name !== 'origin').map((name) => [name, headers[name]])
    const page = { origin, method, headers: authored, credentials }
    let final = null
    verdict.driveFetch(page, (step, answer) => runStep(middleware, step, (last) => {
      final = last
      // A failing callback ends the fetch as the app's error page would.
      answer(last.error ? { status: 500, headers: [], passedOn: false } : last.response)
    }), (judged) => {
      const last = final || { status: null, headers: {}, error: undefined }
      settle(answer(judged.preflight, last, judged.reasons))
    })
  }
  if (result !== undefined) return result
  // An asynchronous origin callback or delegate: answer with a Promise.
  return new Promise((resolve) => { resolveLater = resolve })
}

module.exports = { explain }

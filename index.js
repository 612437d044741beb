'use strict'

// rust-cors: a drop-in replacement for the `cors` middleware.
//
// rustCors(options) compiles the policy once, in Rust (lib/policy.js calls
// src/policy/): option values validated, header values rendered, RegExps
// translated into one linear-time regex set, misconfigurations reported. The
// request path (lib/middleware.js) then only reads req.method and
// req.headers and writes precomputed strings, in cors@2.8.6's order.

const { readOptions } = require('./lib/options')
const { policyFor, originOf, compileOriginValue } = require('./lib/policy')
const { respond } = require('./lib/middleware')
const { isPreflight } = require('./lib/decide')
const { callUserFunction } = require('./lib/callbacks')
const debug = require('./lib/debug')
const { REFUSAL } = require('./lib/refusal')

// With NODE_DEBUG, a callback that throws out of the middleware (as in cors)
// is logged with the code explain() gives it.
function logThrows (req, run) {
  try {
    run()
  } catch (error) {
    debug.failed(req, error, true)
    throw error
  }
}

// Decide the origin with an origin callback, then respond. A middleware with
// a sink is explain()'s dry run: quiet, whenever its callbacks answer.
function respondWithCallback (policy, originFunction, req, res, next, sink) {
  callUserFunction(originFunction, req.headers.origin, 'origin callback', function (err, value) {
    const log = debug.enabled && sink === null
    if (err || !value) {
      if (!err && req[REFUSAL] !== undefined && req.headers.origin !== undefined) req[REFUSAL].by = 'callback' // explain()'s dry runs
      if (log) {
        if (err) debug.failed(req, err, false)
        else debug.request(policy, null, req, res, isPreflight(req.method), undefined, respond, 'callback')
      }
      return next(err)
    }
    let origin
    try {
      origin = compileOriginValue(value, sink, req.headers.origin)
    } catch (e) {
      if (log) debug.failed(req, e, false)
      return next(e)
    }
    respond(policy, origin, req, res, next, sink !== null)
  })
}

function staticMiddleware (options, sink) {
  const read = readOptions(options)
  const policy = policyFor(options, read, false, sink)
  const log = debug.enabled && sink === null
  if (policy.disabled) {
    return function corsMiddleware (req, res, next) {
      if (log) debug.request(policy, null, req, res, isPreflight(req.method), undefined, respond)
      next()
    }
  }
  if (!policy.dynamic) {
    const origin = policy.origin
    const quiet = sink !== null
    return function corsMiddleware (req, res, next) { respond(policy, origin, req, res, next, quiet) }
  }
  // cors reads the origin function from the options once per request, as
  // the options; rust-cors reads the options once, here.
  const originFunction = originOf(read)
  return function corsMiddleware (req, res, next) {
    if (log) return logThrows(req, () => respondWithCallback(policy, originFunction, req, res, next, sink))
    respondWithCallback(policy, originFunction, req, res, next, sink)
  }
}

// An options delegate: cors calls it on every request. Options with the same
// values as options compiled before (by any middleware in the process) reuse
// that policy (lib/cache.js).
function delegateMiddleware (delegate, sink) {
  let last = null // the policy of the previous request
  const log = debug.enabled && sink === null
  const quiet = sink !== null
  const run = function (req, res, next) {
    callUserFunction(delegate, req, 'options delegate', function (err, options) {
      if (err) {
        if (log) debug.failed(req, err, false)
        return next(err)
      }
      let policy
      let read
      try {
        read = readOptions(options)
        policy = policyFor(options, read, true, sink, last)
        last = policy
      } catch (e) {
        if (log) debug.failed(req, e, false)
        return next(e)
      }
      if (policy.disabled) {
        if (log) debug.request(policy, null, req, res, isPreflight(req.method), undefined, respond)
        return next()
      }
      if (!policy.dynamic) return respond(policy, policy.origin, req, res, next, quiet)
      respondWithCallback(policy, originOf(read), req, res, next, sink)
    })
  }
  return function corsMiddleware (req, res, next) {
    if (log) return logThrows(req, () => run(req, res, next))
    run(req, res, next)
  }
}

// sink: null to emit findings as warnings, or an array that collects them
// (explain's dry run, which NODE_DEBUG never logs).
function create (options, sink) {
  return typeof options === 'function' ? delegateMiddleware(options, sink) : staticMiddleware(options, sink)
}

function rustCors (options) {
  return create(options, null)
}

rustCors.rustCors = rustCors
rustCors.default = rustCors
rustCors.explain = function explain (options, request) {
  return require('./lib/explain').explain(create, options, request)
}
rustCors.toNginx = function toNginx (options, settings) { return require('./lib/nginx').toNginx(options, settings) }

module.exports = rustCors

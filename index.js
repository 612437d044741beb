'use strict'

// rust-cors: a drop-in replacement for the `cors` middleware.
//
// rustCors(options) compiles the policy once, in Rust (lib/policy.js calls
// src/policy.rs): option values validated, header values rendered, RegExps
// translated into one linear-time regex set, misconfigurations reported. The
// request path (lib/middleware.js) then only reads req.method and
// req.headers and writes precomputed strings, in cors@2.8.6's order.

const { mergeWithDefaults } = require('./lib/options')
const { compileMerged, compileOriginValue } = require('./lib/policy')
const { respond, isPreflight } = require('./lib/middleware')
const { callUserFunction } = require('./lib/callbacks')
const { RecentPolicies } = require('./lib/cache')
const { copyOriginValue } = require('./lib/verdict')
const debug = require('./lib/debug')

// How many option objects a delegate's fast path remembers.
const RECENT_POLICIES = 4

// dryRun: explain()'s middleware, which must not touch the user's RegExp state.
function originValueFor (value, dryRun) {
  return dryRun ? copyOriginValue(value) : value
}

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

// Decide the origin with an origin callback, then respond.
function respondWithCallback (policy, originFunction, req, res, next, sink) {
  callUserFunction(originFunction, req.headers.origin, 'origin callback', function (err, value) {
    if (err || !value) {
      if (debug.enabled) {
        if (err) debug.failed(req, err, false)
        else debug.request(policy, null, req, res, isPreflight(req.method), undefined)
      }
      return next(err)
    }
    let origin
    try {
      origin = compileOriginValue(originValueFor(value, sink !== null), sink)
    } catch (e) {
      if (debug.enabled) debug.failed(req, e, false)
      return next(e)
    }
    respond(policy, origin, req, res, next)
  })
}

function staticMiddleware (options, sink) {
  const merged = mergeWithDefaults(options)
  if (sink !== null) merged.origin = copyOriginValue(merged.origin)
  const policy = compileMerged(merged, false, sink)
  if (policy.disabled) {
    return function corsMiddleware (req, res, next) {
      if (debug.enabled) debug.request(policy, null, req, res, isPreflight(req.method), undefined)
      next()
    }
  }
  if (!policy.dynamic) {
    const origin = policy.origin
    return function corsMiddleware (req, res, next) { respond(policy, origin, req, res, next) }
  }
  const originFunction = merged.origin
  return function corsMiddleware (req, res, next) {
    if (debug.enabled) return logThrows(req, () => respondWithCallback(policy, originFunction, req, res, next, sink))
    respondWithCallback(policy, originFunction, req, res, next, sink)
  }
}

// An options delegate: cors calls it on every request. Options equal to a
// recent object's (by a snapshot, arrays and RegExps included) reuse its
// policy; others are compiled, or found in the process-wide policy cache.
function delegateMiddleware (delegate, sink) {
  const recent = new RecentPolicies(RECENT_POLICIES)
  const run = function (req, res, next) {
    callUserFunction(delegate, req, 'options delegate', function (err, options) {
      if (err) {
        if (debug.enabled) debug.failed(req, err, false)
        return next(err)
      }
      const merged = mergeWithDefaults(options)
      let policy = recent.find(merged)
      if (policy === undefined) {
        try {
          if (sink !== null) merged.origin = copyOriginValue(merged.origin)
          policy = recent.remember(merged, compileMerged(merged, true, sink))
        } catch (e) {
          if (debug.enabled) debug.failed(req, e, false)
          return next(e)
        }
      } else if (sink !== null) {
        policy.findings.forEach((finding) => sink.push(finding))
      }
      if (policy.disabled) {
        if (debug.enabled) debug.request(policy, null, req, res, isPreflight(req.method), undefined)
        return next()
      }
      if (!policy.dynamic) return respond(policy, policy.origin, req, res, next)
      respondWithCallback(policy, merged.origin, req, res, next, sink)
    })
  }
  return function corsMiddleware (req, res, next) {
    if (debug.enabled) return logThrows(req, () => run(req, res, next))
    run(req, res, next)
  }
}

// sink: null to emit findings as warnings, or an array that collects them
// (explain's dry run).
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

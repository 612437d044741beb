'use strict'

// rust-cors: a drop-in replacement for the `cors` middleware.
//
// rustCors(options) compiles the policy once, in Rust: option values are
// validated, header values rendered to strings, RegExps translated into one
// linear-time regex set. The per-request path below then only reads
// req.method / req.headers and writes precomputed strings with setHeader,
// in the same order as cors@2.8.6. Rust is called per request only to match
// an origin against RegExps or patterns, and only on a verdict-cache miss.

const util = require('util')
const vary = require('vary')
const native = require('./lib/native')
const {
  normalize, compileOrigin, originKey, policyKey, orderedAllows, K_ANY, K_FIXED, K_REFLECT, K_LIST
} = require('./lib/compile')

const ACAO = 'Access-Control-Allow-Origin'
const ACAC = 'Access-Control-Allow-Credentials'
const ACAM = 'Access-Control-Allow-Methods'
const ACAH = 'Access-Control-Allow-Headers'
const ACMA = 'Access-Control-Max-Age'
const ACEH = 'Access-Control-Expose-Headers'
const VARY_ORIGIN_ACRH = 'Origin, Access-Control-Request-Headers'

const VERDICT_CACHE_MAX = 1024
const POLICY_CACHE_MAX = 256

const debug = util.debuglog('rust-cors')
// NODE_DEBUG is read once, at start-up; a constant keeps the getter off the hot path.
const DEBUG = debug.enabled

// -- per-request helpers --------------------------------------------------

function isPreflight (method) {
  if (method === 'OPTIONS') return true
  if (method === 'GET' || method === 'POST' || method === 'HEAD') return false
  return !!(method && method.toUpperCase && method.toUpperCase() === 'OPTIONS')
}

// Append `field` to Vary with exactly the `vary` package's rules. The
// package is only loaded into the path when a Vary header already exists;
// returns true when Vary was empty and now is just `field`.
function addVary (res, field) {
  if (!res.getHeader('Vary')) {
    res.setHeader('Vary', field)
    return true
  }
  vary(res, field)
  return false
}

// Does the compiled allow-list accept this request origin?
function listAllows (o, origin) {
  if (o.matchAll) return true
  if (typeof origin !== 'string') {
    // cors tests RegExps against String(origin); exact strings never match.
    return origin !== undefined && o.regexps.some((re) => re.test(origin))
  }
  if (o.exact.has(origin)) return true
  if (o.slow === false) return false
  let v = o.cache.get(origin)
  if (v === undefined) {
    v = slowAllows(o, origin)
    if (o.cache.size >= VERDICT_CACHE_MAX) o.cache.clear()
    o.cache.set(origin, v)
  }
  return v
}

function slowAllows (o, origin) {
  if (o.matcher !== null) {
    const r = native.matchOrigin(o.matcher, origin)
    if (r === 1) return true
    // -1: the input is outside what the translation decides exactly
    // (above Latin-1, or \r against a multiline anchor): run the RegExps.
    if (r === -1 && o.translated.some((re) => re.test(origin))) return true
  }
  return o.jsOnly.some((re) => re.test(origin))
}

function sanitize (v) {
  const s = String(v)
  const cut = s.length > 200 ? s.slice(0, 200) + '…' : s
  // eslint-disable-next-line no-control-regex
  return JSON.stringify(cut).slice(1, -1)
}

function logDenial (req, o, origin, preflight) {
  if (origin === undefined) return
  debug('%s %s: origin "%s" is not allowed (%s)', preflight ? 'preflight' : 'request',
    sanitize(req.method), sanitize(origin), o.describe)
}

function splitList (v) {
  return String(v).split(',').map((s) => s.trim()).filter(Boolean)
}

// NODE_DEBUG=rust-cors: say what a browser will refuse in this preflight.
function logPreflight (p, req) {
  const method = req.headers['access-control-request-method']
  if (method === undefined) {
    debug('preflight without Access-Control-Request-Method (origin "%s"): not a browser preflight', sanitize(req.headers.origin))
    return
  }
  const allowed = p.methods ? splitList(p.methods) : []
  if (!['GET', 'HEAD', 'POST'].includes(method) && !allowed.includes(method)) {
    debug('preflight: method "%s" is not in the allowed methods (%s)', sanitize(method), sanitize(p.methods || 'none'))
  }
  if (!p.reflectHeaders) {
    const ok = new Set(splitList(p.allowedHeaders || '').map((s) => s.toLowerCase()))
    for (const h of splitList(req.headers['access-control-request-headers'] || '')) {
      if (!ok.has(h.toLowerCase())) debug('preflight: header "%s" is not allowed (allowedHeaders: %s)', sanitize(h), sanitize(p.allowedHeaders || 'none'))
    }
  }
}

// Write the CORS headers for one request and finish it, as cors does.
function respond (p, o, req, res, next) {
  const preflight = isPreflight(req.method)
  if (preflight && p.strictPreflight && !(req.headers.origin && req.headers['access-control-request-method'])) {
    if (DEBUG) debug('OPTIONS without Origin or Access-Control-Request-Method: answered 400 (strictPreflight)')
    res.statusCode = 400
    res.setHeader('Content-Length', '0')
    res.end()
    return
  }
  let varyIsOrigin = false
  switch (o.kind) {
    case K_ANY:
      res.setHeader(ACAO, '*')
      break
    case K_FIXED:
      res.setHeader(ACAO, o.value)
      varyIsOrigin = addVary(res, 'Origin')
      break
    case K_REFLECT: {
      const origin = req.headers.origin
      if (origin) res.setHeader(ACAO, origin)
      varyIsOrigin = addVary(res, 'Origin')
      break
    }
    default: {
      // K_LIST tests a present origin against the compiled list. K_ORDERED
      // (a stateful g/y RegExp is in the list) tests every element in order
      // on the user's own objects, missing origin included, exactly like cors.
      const origin = req.headers.origin
      const allowed = o.kind === K_LIST
        ? !!origin && listAllows(o, origin)
        : orderedAllows(origin, o.value, o.patterns) && !!origin
      if (allowed) res.setHeader(ACAO, origin)
      else if (DEBUG) logDenial(req, o, origin, preflight)
      varyIsOrigin = addVary(res, 'Origin')
    }
  }
  if (p.credentials) res.setHeader(ACAC, 'true')
  if (preflight) {
    if (p.methods) res.setHeader(ACAM, p.methods)
    if (p.reflectHeaders) {
      if (varyIsOrigin) res.setHeader('Vary', VARY_ORIGIN_ACRH)
      else addVary(res, 'Access-Control-Request-Headers')
      const h = req.headers['access-control-request-headers']
      if (h && h.length) res.setHeader(ACAH, h)
    } else if (p.allowedHeaders) {
      res.setHeader(ACAH, p.allowedHeaders)
    }
    if (p.maxAge) res.setHeader(ACMA, p.maxAge)
    if (p.exposedHeaders) res.setHeader(ACEH, p.exposedHeaders)
    if (p.extra !== null) p.extra(req, res)
    if (DEBUG) logPreflight(p, req)
    if (p.preflightContinue) {
      next()
    } else {
      res.statusCode = p.status
      res.setHeader('Content-Length', '0')
      res.end()
    }
  } else {
    if (p.exposedHeaders) res.setHeader(ACEH, p.exposedHeaders)
    next()
  }
}

// -- the factory -----------------------------------------------------------

function makeState (sink) {
  return {
    sink,
    warned: new Set(),
    twiceWarned: false,
    originCache: new Map(),
    policyCache: new Map(),
    recent: []
  }
}

function warnOnce (state, code, message) {
  const key = code + '\0' + message
  if (state.warned.has(key)) return
  state.warned.add(key)
  process.emitWarning(message, { type: 'RustCorsWarning', code })
}

function warnTwice (state, what) {
  if (state.twiceWarned) return
  state.twiceWarned = true
  warnOnce(state, 'RUST_CORS_CALLBACK_TWICE',
    `rust-cors: the ${what} called back more than once for one request; the extra calls are ignored. Call the callback exactly once`)
}

// Compile options (already merged with the defaults) into a policy, emitting
// or throwing its diagnostics.
function buildPolicy (merged, state) {
  const p = normalize(merged)
  for (const d of p.diagnostics) {
    if (merged.strict === true) {
      const e = new TypeError(d.message)
      e.code = d.code
      throw e
    }
    if (state.sink) state.sink.push(d)
    else warnOnce(state, d.code, d.message)
  }
  return p
}

// get-or-make in a Map that is emptied when full (key null: not cacheable).
function cached (map, key, make) {
  if (key === null) return make()
  let v = map.get(key)
  if (v === undefined) {
    v = make()
    if (map.size >= POLICY_CACHE_MAX) map.clear()
    map.set(key, v)
  }
  return v
}

function originFor (state, value) {
  return cached(state.originCache, originKey(value), () => compileOrigin(value))
}

// The `then` method of a callback's return value, or null when it is not a
// thenable. Reading `then` runs user code (a getter), which may throw.
function thenOf (v) {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return null
  const then = v.then
  return typeof then === 'function' ? then : null
}

// Call a cors-style callback function that may also return a Promise.
// `arity` tells whether the function takes the callback; a Promise that
// resolves to undefined from a function that takes one waits for the callback.
function callUserFn (fn, arg, state, what, done) {
  let called = false
  const cb = function (err, value) {
    if (called) return warnTwice(state, what)
    called = true
    done(err, value)
  }
  const r = fn(arg, cb)
  // cors ignores the return value, so a hostile thenable (a throwing `then`
  // getter or method) must not throw out of the middleware: it counts as a
  // rejection, as it would for a Promise. What the rest of the chain throws
  // from inside a synchronous `then` still propagates.
  let downstream = null
  const settle = function (err, value) {
    called = true
    try {
      done(err, value)
    } catch (e) {
      downstream = { e }
      throw e
    }
  }
  const onRejected = function (err) {
    if (called) return
    settle(err || new Error(`rust-cors: the ${what} rejected with ${String(err)}`))
  }
  let then
  try {
    then = thenOf(r)
  } catch (err) {
    return onRejected(err)
  }
  if (then === null) return
  const takesCb = fn.length >= 2
  try {
    then.call(r, function (value) {
      if (called || (takesCb && value === undefined)) return
      settle(null, value)
    }, onRejected)
  } catch (err) {
    if (downstream !== null && downstream.e === err) throw err
    onRejected(err)
  }
}

function runWithOrigin (p, state, req, res, next) {
  if (p.origin !== null) return respond(p, p.origin, req, res, next)
  callUserFn(p.originFn, req.headers.origin, state, 'origin callback', function (err, value) {
    if (err || !value) {
      if (DEBUG && !err) {
        debug('%s: origin callback refused origin "%s"', sanitize(req.method), sanitize(req.headers.origin))
      }
      return next(err)
    }
    let o
    try {
      o = originFor(state, value)
    } catch (e) {
      return next(e)
    }
    respond(p, o, req, res, next)
  })
}

function rustCors (options) {
  return create(options, null)
}

// sink: null to emit diagnostics as warnings, or an array to collect them.
function create (options, sink) {
  const state = makeState(sink)
  if (typeof options === 'function') {
    const delegate = options
    return function corsMiddleware (req, res, next) {
      callUserFn(delegate, req, state, 'options delegate', function (err, opts) {
        if (err) return next(err)
        let p
        try {
          p = policyFromDelegate(state, opts)
        } catch (e) {
          return next(e)
        }
        if (p.disabled) return next()
        runWithOrigin(p, state, req, res, next)
      })
    }
  }
  const p = buildPolicy(merge(options), state)
  if (p.disabled) {
    return function corsMiddleware (req, res, next) { next() }
  }
  if (p.origin !== null) {
    const o = p.origin
    return function corsMiddleware (req, res, next) { respond(p, o, req, res, next) }
  }
  return function corsMiddleware (req, res, next) { runWithOrigin(p, state, req, res, next) }
}

const DEFAULTS = Object.freeze({
  origin: '*',
  methods: 'GET,HEAD,PUT,PATCH,POST,DELETE',
  preflightContinue: false,
  optionsSuccessStatus: 204
})

function merge (options) {
  return Object.assign({}, DEFAULTS, options)
}

// The options a delegate returned, compiled. Fast path: the same own keys
// with the same (===) values as one of the last few objects, the usual case of
// a delegate that builds `{ origin: x }` afresh per request. Then a structural
// key over the merged options, then a compile.
const RECENT_MAX = 4

function recentPolicy (state, opts) {
  if (opts === null || typeof opts !== 'object' || Object.getPrototypeOf(opts) !== Object.prototype) return undefined
  const recent = state.recent
  outer: for (let i = 0; i < recent.length; i++) {
    const e = recent[i]
    const keys = e.keys
    let n = 0
    for (const k in opts) {
      if (n >= keys.length || k !== keys[n] || opts[k] !== e.values[n]) continue outer
      n++
    }
    if (n === keys.length) return e.policy
  }
  return undefined
}

function rememberPolicy (state, opts, policy) {
  if (opts === null || typeof opts !== 'object' || Object.getPrototypeOf(opts) !== Object.prototype) return
  const keys = Object.keys(opts)
  const values = keys.map((k) => opts[k])
  // Only values that cannot change behind an unchanged reference: an array
  // (say, an allow-list the app appends to) must be re-read every time.
  for (const v of values) {
    if (v !== null && typeof v === 'object' && !(v instanceof RegExp)) return
  }
  if (state.recent.length >= RECENT_MAX) state.recent.pop()
  state.recent.unshift({ keys, values, policy })
}

function policyFromDelegate (state, opts) {
  const hit = recentPolicy(state, opts)
  if (hit !== undefined) return hit
  const merged = merge(opts)
  let p = cached(state.policyCache, policyKey(merged), () => buildPolicy(merged, state))
  if (p.originFn !== null && p.originFn !== merged.origin) {
    // A cached policy of the same shape: the origin function is this object's own.
    p = Object.assign({}, p, { originFn: merged.origin })
  }
  rememberPolicy(state, opts, p)
  return p
}

rustCors.rustCors = rustCors
rustCors.default = rustCors
Object.defineProperty(rustCors, '_create', { value: create })
rustCors.explain = function explain (options, request) {
  return require('./lib/explain').explain(rustCors, options, request)
}
rustCors.toNginx = function toNginx (options, settings) { return require('./lib/nginx').toNginx(options, settings) }

module.exports = rustCors

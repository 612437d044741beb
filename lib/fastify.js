'use strict'

// rust-cors/fastify: a drop-in for @fastify/cors 11.4, registered with
// `fastify.register(cors, options)`. The options are translated and compiled
// once (lib/fastify-options.js over the one Rust policy); per request this
// file reads the route's `config.cors`, decides the origin (lib/decide.js),
// writes the precomputed strings with reply.header in @fastify/cors's order,
// and answers a preflight inside the hook, before any authentication plugin
// runs, or passes on.

const vary = require('vary')
const { allowOriginFor, failsStrictPreflight } = require('./decide')
const { warnCalledTwice } = require('./callbacks')
const { DEFAULTS, HOOKS, HOOKS_WITH_PAYLOAD, normalize, viewFor, resolvedOrigin } = require('./fastify-options')

// Header names as Fastify keeps and sends them: reply.header lower-cases its
// key, which for a lower-case constant is the constant itself (no new string
// per call, and a property key V8 already knows).
const ACAO = 'access-control-allow-origin'
const ACAC = 'access-control-allow-credentials'
const ACEH = 'access-control-expose-headers'
const ACAM = 'access-control-allow-methods'
const ACAH = 'access-control-allow-headers'
const ACMA = 'access-control-max-age'
const ACAPN = 'access-control-allow-private-network'
const VARY = 'vary'

const VARY_ORIGIN = 'Origin'
const VARY_REQUEST_HEADERS = 'Access-Control-Request-Headers'
const VARY_BOTH = 'Origin, Access-Control-Request-Headers'

// Add `field` to Vary as @fastify/cors does (through reply.getHeader and
// reply.header; an array read back is joined), with the vary package's rules.
function addVary (reply, field) {
  let header = reply.getHeader(VARY)
  if (!header) {
    reply.header(VARY, field)
    return
  }
  if (header === '*') return
  // What this hook itself wrote on a preflight: no need to parse it.
  if (header === VARY_ORIGIN && field === VARY_REQUEST_HEADERS) {
    reply.header(VARY, VARY_BOTH)
    return
  }
  if (Array.isArray(header)) header = header.join(', ')
  const updated = vary.append(header, field)
  if (updated !== header) reply.header(VARY, updated)
}

function validHook (hook, next) {
  if (HOOKS.indexOf(hook) !== -1) return true
  next(new TypeError('@fastify/cors: Invalid hook option provided.'))
  return false
}

// Hooks that carry a payload take it as their third argument.
function addHook (fastify, hook, handle) {
  if (HOOKS_WITH_PAYLOAD.indexOf(hook) !== -1) {
    fastify.addHook(hook, function handleCors (req, reply, _payload, next) { handle(req, reply, next) })
  } else {
    fastify.addHook(hook, function handleCors (req, reply, next) { handle(req, reply, next) })
  }
}

// -- one request ---------------------------------------------------------------

// Write the CORS headers for a decided origin rule; end a preflight here or
// pass on.
function answer (view, rule, req, reply, next) {
  const allowOrigin = allowOriginFor(rule, req.headers.origin)
  if (allowOrigin) reply.header(ACAO, allowOrigin)
  if (view.credentials) reply.header(ACAC, 'true')
  if (view.exposedHeaders !== null) reply.header(ACEH, view.exposedHeaders)
  if (view.preflight && req.raw.method === 'OPTIONS') {
    if (view.strictPreflight && failsStrictPreflight(req.headers)) {
      reply.status(400).type('text/plain').send('Invalid Preflight Request')
      return
    }
    req.corsPreflightEnabled = true
    addPreflightHeaders(view, req, reply)
    if (!view.preflightContinue) {
      // reply.code throws on a status outside 100-599: the request fails as
      // @fastify/cors's does when it answers synchronously (where it would
      // throw out of an origin callback or a delegate's answer, crashing).
      try {
        reply.code(view.status)
      } catch (err) {
        return next(err)
      }
      // Content-Length 0 even on a 204: Safari waits for a body otherwise.
      reply.header('content-length', '0').send()
      return
    }
  }
  next()
}

function addPreflightHeaders (view, req, reply) {
  reply.header(ACAM, view.methods)
  if (view.reflectHeaders) {
    addVary(reply, VARY_REQUEST_HEADERS)
    const requested = req.headers['access-control-request-headers']
    if (requested !== undefined) reply.header(ACAH, requested)
  } else {
    reply.header(ACAH, view.allowedHeaders)
  }
  if (view.maxAge !== null) reply.header(ACMA, view.maxAge)
  if (view.allowPrivateNetwork && req.headers['access-control-request-private-network'] === 'true') {
    reply.header(ACAPN, 'true')
  }
  if (view.cacheControl !== null) reply.header('cache-control', view.cacheControl)
}

// An origin function, called as @fastify/cors calls it (`this` is the
// Fastify instance the plugin was registered on; a callback or a Promise).
// A second answer for the same request is ignored with a warning.
function resolveOrigin (state, view, req, reply, next) {
  let settled = false
  const callback = function (error, value) {
    if (settled) return warnCalledTwice('origin callback')
    settled = true
    if (error !== null) return next(error)
    if (value === false) return next()
    let rule
    try {
      rule = resolvedOrigin(value, state.sink)
    } catch (err) {
      return next(err)
    }
    if (rule instanceof Error) return next(rule)
    answer(view, rule, req, reply, next)
  }
  const result = view.originFunction.call(state.instance, req.headers.origin, callback)
  if (result && typeof result.then === 'function') result.then((value) => callback(null, value), callback)
}

// Fastify's route context, which holds the route's config: found on the
// first request and used only when it gives what req.routeOptions.config
// gives (that getter builds a dozen-field object per access: ~0.1-0.2 µs,
// which @fastify/cors pays twice per request).
let routeContext = null

// null while unknown: a request without symbols (explain()'s stand-in) does
// not decide it.
function findRouteContext (req) {
  const symbols = Object.getOwnPropertySymbols(req)
  if (symbols.length === 0) return null
  const symbol = symbols.find((s) => s.description === 'fastify.context')
  const context = symbol === undefined ? undefined : req[symbol]
  return context !== null && typeof context === 'object' && context.config === req.routeOptions.config ? symbol : false
}

// A route's `config.cors` (false turns CORS off on that route; an object is
// spread over the plugin's options).
function routeCorsOf (req) {
  if (routeContext === null) routeContext = findRouteContext(req)
  const context = routeContext === false || routeContext === null ? undefined : req[routeContext]
  const config = context === undefined ? req.routeOptions.config : context.config
  return config === undefined || config === null ? undefined : config.cors
}

// The view of a route whose config.cors overrides some options. Static
// plugin options: remembered per route config object.
function routeView (state, options, view, routeCors) {
  if (view !== null) {
    const remembered = state.routeViews.get(routeCors)
    if (remembered !== undefined) return remembered
  }
  const merged = viewFor({ ...options, ...routeCors }, null, state.sink)
  if (view !== null) state.routeViews.set(routeCors, merged)
  return merged
}

// options: the normalized options (the plugin's, or a delegate's answer);
// view: their compiled view, or null for a delegate's (compiled here).
function handleRequest (state, options, view, req, reply, next) {
  const routeCors = routeCorsOf(req)
  if (routeCors === false) return next()
  try {
    if (routeCors !== null && typeof routeCors === 'object') view = routeView(state, options, view, routeCors)
    else if (view === null) view = state.last = viewFor(options, state.last, state.sink)
  } catch (err) {
    return next(err)
  }
  if (view.varyOrigin) addVary(reply, VARY_ORIGIN)
  if (view.originFunction !== null) return resolveOrigin(state, view, req, reply, next)
  if (view.disabled) return next()
  if (view.invalidOrigin) return next(new Error('Invalid CORS origin option'))
  answer(view, view.origin, req, reply, next)
}

// -- registration ----------------------------------------------------------------

// sink: null to warn, or explain()'s array of findings.
function newState (instance, sink) {
  return { instance, sink, routeViews: new WeakMap(), last: null }
}

// A delegate: `(req, cb)` calls back with options; `(req)` returns a Promise
// of them. Called on every request, as @fastify/cors does.
function addDelegateHook (fastify, delegate, hook, next, sink) {
  if (!validHook(hook, next)) return false
  const state = newState(fastify, sink)
  if (delegate.length === 2) {
    addHook(fastify, hook, function (req, reply, done) {
      let settled = false
      delegate(req, function (err, options) {
        if (settled) return warnCalledTwice('options delegate')
        settled = true
        if (err) return done(err)
        handleRequest(state, normalize(options, true), null, req, reply, done)
      })
    })
  } else {
    addHook(fastify, hook, function (req, reply, done) {
      const returned = delegate(req)
      if (returned && typeof returned.then === 'function') {
        returned.then((options) => handleRequest(state, normalize(options, true), null, req, reply, done)).catch(done)
        return
      }
      done(new Error('Invalid CORS origin option'))
    })
  }
  return true
}

function register (fastify, opts, next, sink) {
  fastify.decorateRequest('corsPreflightEnabled', false)

  if (typeof opts === 'function') {
    addDelegateHook(fastify, opts, DEFAULTS.hook, next, sink)
  } else if (opts.delegator) {
    const { delegator, ...options } = opts
    if (!addDelegateHook(fastify, delegator, options.hook || DEFAULTS.hook, next, sink)) return
  } else {
    const options = normalize(opts)
    if (!validHook(options.hook, next)) return
    let view
    try {
      view = viewFor(options, null, sink)
    } catch (err) {
      return next(err)
    }
    const state = newState(fastify, sink)
    addHook(fastify, options.hook, function (req, reply, done) { handleRequest(state, options, view, req, reply, done) })
  }
  const logLevel = opts.logLevel
  const hideOptionsRoute = opts.hideOptionsRoute !== undefined ? opts.hideOptionsRoute : true

  // The preflight is answered in the hook, before authentication plugins
  // (a browser sends no credentials with it); this route only lets Fastify
  // accept OPTIONS requests for every path.
  fastify.options('*', { schema: { hide: hideOptionsRoute }, logLevel }, function (req, reply) {
    if (!req.corsPreflightEnabled) {
      // CORS is off for this request (origin false): no preflight here.
      reply.callNotFound()
      return
    }
    reply.send()
  })

  next()
}

function fastifyCors (fastify, opts, next) {
  register(fastify, opts, next, null)
}

// What fastify-plugin would set: the hooks and the decoration escape the
// plugin's scope, and the plugin answers to @fastify/cors's name, so that
// plugins declaring it as a dependency accept this one.
fastifyCors[Symbol.for('skip-override')] = true
fastifyCors[Symbol.for('fastify.display-name')] = '@fastify/cors'
fastifyCors[Symbol.for('plugin-meta')] = { fastify: '5.x', name: '@fastify/cors' }

fastifyCors.fastifyCors = fastifyCors
fastifyCors.default = fastifyCors
fastifyCors.explain = function explain (options, request) {
  return require('./fastify-explain').explain(register, options, request)
}

module.exports = fastifyCors

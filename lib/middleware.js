'use strict'

// The request path: read req.method and req.headers once, decide the origin,
// write the precomputed strings with setHeader in cors's order, then end a
// preflight or call next(). Rust is called only to match an origin against
// translated RegExps or patterns, and only on a verdict-cache miss.

const vary = require('vary')
const debug = require('./debug')
const { ANY, FIXED, REFLECT, LIST } = require('./policy')

const ACAO = 'Access-Control-Allow-Origin'
const ACAC = 'Access-Control-Allow-Credentials'
const ACAM = 'Access-Control-Allow-Methods'
const ACAH = 'Access-Control-Allow-Headers'
const ACMA = 'Access-Control-Max-Age'
const ACEH = 'Access-Control-Expose-Headers'
const VARY_ORIGIN_AND_REQUEST_HEADERS = 'Origin, Access-Control-Request-Headers'

const VERDICT_CACHE_MAX = 1024
// Origins longer than this are not kept among a list's recent answers.
const RECENT_MAX_LENGTH = 512

// cors: `req.method && req.method.toUpperCase && req.method.toUpperCase() === 'OPTIONS'`.
function isPreflight (method) {
  if (method === 'OPTIONS') return true
  if (method === 'GET' || method === 'POST' || method === 'HEAD') return false
  return !!(method && method.toUpperCase && method.toUpperCase() === 'OPTIONS')
}

// Append `field` to Vary with exactly the `vary` package's rules, which are
// only loaded into the path when a Vary header already exists. Returns true
// when Vary was empty and now is just `field`.
function addVary (res, field) {
  if (!res.getHeader('Vary')) {
    res.setHeader('Vary', field)
    return true
  }
  vary(res, field)
  return false
}

// Translated RegExps and patterns (Rust), then the RegExps that run in JS.
function matchSlowly (list, origin) {
  if (list.matcher !== null) {
    const verdict = list.matcher(origin)
    if (verdict === 1) return true
    // -1: outside what the translation decides exactly (above Latin-1, or
    // \r against a multiline anchor): the RegExps themselves decide.
    if (verdict === -1 && list.translated.some((re) => re.test(origin))) return true
  }
  return list.jsOnly.some((re) => re.test(origin))
}

// Does the compiled allow-list accept this (present) request origin? The
// last few answers come first, found with ===: node:http gives every request
// a new header string, which === reads once (and usually stops at its
// length), where a Set or a Map would first compute its hash.
function listAllows (list, origin) {
  if (list.matchAll) return true
  if (typeof origin !== 'string') {
    // cors tests RegExps against String(origin); exact strings never match.
    return list.regexps.some((re) => re.test(origin))
  }
  if (!list.needsMatcher && origin.length > list.maxExactLength) return false
  const recent = list.recent
  for (let i = 0; i < recent.length; i += 2) {
    if (recent[i] === origin) return recent[i + 1]
  }
  const allowed = decide(list, origin)
  if (origin.length <= RECENT_MAX_LENGTH) {
    const slot = list.recentSlot
    recent[slot] = origin
    recent[slot + 1] = allowed
    list.recentSlot = (slot + 2) % recent.length
  }
  return allowed
}

function decide (list, origin) {
  if (origin.length <= list.maxExactLength && list.exact.has(origin)) return true
  if (!list.needsMatcher) return false
  let allowed = list.verdicts.get(origin)
  if (allowed === undefined) {
    allowed = matchSlowly(list, origin)
    // A denial is remembered only where RegExps decide (JS ones may be
    // slow); patterns alone answer a miss in Rust as fast as a cache would
    // remember it, and distinct missing origins would only churn the cache.
    if (allowed || list.regexps.length > 0) {
      if (list.verdicts.size >= VERDICT_CACHE_MAX) list.verdicts.clear()
      list.verdicts.set(origin, allowed)
    }
  }
  return allowed
}

// cors's isOriginAllowed, on the user's own objects and in their order, for
// lists with a stateful RegExp (whose `lastIndex` makes the order visible).
function orderedAllows (origin, allowed, patternMatchers) {
  if (Array.isArray(allowed)) {
    for (let i = 0; i < allowed.length; i++) {
      if (orderedAllows(origin, allowed[i], patternMatchers)) return true
    }
    return false
  }
  if (typeof allowed === 'string') {
    const matcher = patternMatchers.get(allowed)
    if (matcher !== undefined && typeof origin === 'string') return matcher(origin) === 1
    return origin === allowed
  }
  if (allowed instanceof String) return origin === allowed
  if (allowed instanceof RegExp) return allowed.test(origin)
  return !!allowed
}

function answerBadPreflight (res) {
  res.statusCode = 400
  res.setHeader('Content-Length', '0')
  res.end()
}

// Write the CORS headers for one request and finish it, as cors does.
function respond (policy, origin, req, res, next) {
  const preflight = isPreflight(req.method)
  if (preflight) {
    if (policy.preflightError !== null) {
      const error = new TypeError(policy.preflightError)
      if (debug.enabled) debug.failed(req, error, true)
      throw error
    }
    if (policy.strictPreflight && !(req.headers.origin && req.headers['access-control-request-method'])) {
      if (debug.enabled) debug.request(policy, origin, req, res, true, 400)
      return answerBadPreflight(res)
    }
  }
  let varyIsOrigin = false
  switch (origin.kind) {
    case ANY:
      res.setHeader(ACAO, '*')
      break
    case FIXED:
      res.setHeader(ACAO, origin.value)
      varyIsOrigin = addVary(res, 'Origin')
      break
    case REFLECT: {
      const requestOrigin = req.headers.origin
      if (requestOrigin) res.setHeader(ACAO, requestOrigin)
      varyIsOrigin = addVary(res, 'Origin')
      break
    }
    default: {
      // LIST tests a present origin against the compiled list; ORDERED tests
      // every element in order, a missing origin included, exactly like cors.
      const requestOrigin = req.headers.origin
      const allowed = origin.kind === LIST
        ? !!requestOrigin && listAllows(origin, requestOrigin)
        : orderedAllows(requestOrigin, origin.value, origin.patternMatchers) && !!requestOrigin
      if (allowed) res.setHeader(ACAO, requestOrigin)
      varyIsOrigin = addVary(res, 'Origin')
    }
  }
  if (policy.credentials) res.setHeader(ACAC, 'true')
  if (preflight) {
    if (policy.methods) res.setHeader(ACAM, policy.methods)
    if (policy.reflectHeaders) {
      if (varyIsOrigin) res.setHeader('Vary', VARY_ORIGIN_AND_REQUEST_HEADERS)
      else addVary(res, 'Access-Control-Request-Headers')
      const requested = req.headers['access-control-request-headers']
      if (requested && requested.length) res.setHeader(ACAH, requested)
    } else if (policy.allowedHeaders) {
      res.setHeader(ACAH, policy.allowedHeaders)
    }
    if (policy.maxAge) res.setHeader(ACMA, policy.maxAge)
    if (policy.exposedHeaders) res.setHeader(ACEH, policy.exposedHeaders)
    // The peers' options, written after cors's own headers.
    if (policy.allowPrivateNetwork && req.headers['access-control-request-private-network'] === 'true') {
      res.setHeader('Access-Control-Allow-Private-Network', 'true')
    }
    if (policy.cacheControl !== undefined) res.setHeader('Cache-Control', policy.cacheControl)
    if (debug.enabled) debug.request(policy, origin, req, res, true, policy.preflightContinue ? undefined : policy.status)
    if (policy.preflightContinue) {
      next()
    } else {
      res.statusCode = policy.status
      res.setHeader('Content-Length', '0')
      res.end()
    }
  } else {
    if (policy.exposedHeaders) res.setHeader(ACEH, policy.exposedHeaders)
    if (debug.enabled) debug.request(policy, origin, req, res, false, 200)
    next()
  }
}

module.exports = { respond, isPreflight }

'use strict'

// The framework-neutral request decision: is this a preflight, and does a
// compiled origin list allow this request origin? Every framework's glue
// (lib/middleware.js for Express/connect, and the adapters) asks here, then
// writes the precomputed header strings its own way. Rust is called only to
// match an origin against translated RegExps or patterns, and only on a
// verdict-cache miss.

const { ANY, FIXED, REFLECT, LIST } = require('./compiled')

const VERDICT_CACHE_MAX = 1024
// Origins longer than this are not kept among a list's recent answers.
const RECENT_MAX_LENGTH = 512

// cors: `req.method && req.method.toUpperCase && req.method.toUpperCase() === 'OPTIONS'`.
function isPreflight (method) {
  if (method === 'OPTIONS') return true
  if (method === 'GET' || method === 'POST' || method === 'HEAD') return false
  return !!(method && method.toUpperCase && method.toUpperCase() === 'OPTIONS')
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
  return list.jsOnly.length > 0 && list.jsOnly.some((re) => re.test(origin))
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
  if (!list.needsMatcher) {
    if (origin.length > list.maxExactLength) return false
    // A few exact origins (a tenant's app and admin): compared in turn, as
    // cors does, without hashing the new header string.
    if (list.few !== null) {
      return origin === list.few0 || origin === list.few1 || origin === list.few2 || origin === list.few3
    }
  }
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
  // (An empty cache is not asked: that would hash the new header string.)
  let allowed = list.verdicts.size === 0 ? undefined : list.verdicts.get(origin)
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

// Does a LIST or ORDERED origin rule allow this request origin (the header's
// value as the framework read it, possibly missing)? LIST tests a present
// origin against the compiled list; ORDERED tests every element in order, a
// missing origin included, exactly like cors.
function listRuleAllows (originRule, requestOrigin) {
  return originRule.kind === LIST
    ? !!requestOrigin && listAllows(originRule, requestOrigin)
    : orderedAllows(requestOrigin, originRule.value, originRule.patternMatchers) && !!requestOrigin
}

// The Access-Control-Allow-Origin value a static origin rule gives this
// request origin (the header as the framework read it: undefined or '' when
// missing), or undefined when the rule does not allow it. REFLECT returns
// the request's value as read; the caller decides what a missing one sends.
// The Express path inlines the same switch (it writes Vary as it goes).
function allowOriginFor (originRule, requestOrigin) {
  switch (originRule.kind) {
    case ANY: return '*'
    case FIXED: return originRule.value
    case REFLECT: return requestOrigin
    default: return listRuleAllows(originRule, requestOrigin) ? requestOrigin : undefined
  }
}

// The Access-Control-Allow-Headers value of a preflight: the policy's list,
// or, when it has none, the request's Access-Control-Request-Headers as the
// framework read it (undefined or '' when missing).
function allowHeadersFor (policy, requestHeaders) {
  return policy.reflectHeaders ? requestHeaders : policy.allowedHeaders
}

// strictPreflight: an OPTIONS request that lacks Origin or
// Access-Control-Request-Method is answered 400.
function failsStrictPreflight (headers) {
  return !(headers.origin && headers['access-control-request-method'])
}

module.exports = { isPreflight, listRuleAllows, allowOriginFor, allowHeadersFor, failsStrictPreflight }

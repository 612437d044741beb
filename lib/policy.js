'use strict'

// Options -> the compiled policy the request path reads. Rust compiles
// (native.compilePolicy: validation, rendered headers, matcher, findings);
// this file only keeps, beside Rust's answer, what must stay JS: the user's
// strings for the exact-origin Set (compared as JS strings), RegExps that
// run in JS, and the origin value of an ordered list.

const native = require('./native')
const { resolveOptions, mergeWithDefaults } = require('./options')
const { report } = require('./warnings')
const { policies, inputKey } = require('./cache')

// Origin rule kinds, as the request path switches on them.
const ANY = 1
const FIXED = 2
const REFLECT = 3
const LIST = 4
const ORDERED = 5

const ANY_ORIGIN = Object.freeze({ kind: ANY })
const REFLECT_ORIGIN = Object.freeze({ kind: REFLECT })

// A RegExp the policy owns, so that a later change to the user's object
// cannot change a policy that other options share.
function ownCopy (re) {
  return new RegExp(re.source, re.flags)
}

function listOrigin (rule, compiled, value, list) {
  const strings = list === null ? [value] : list.strings
  if (list !== null && list.ordered) {
    const patternMatchers = new Map()
    rule.patternStrings.forEach((index, i) => patternMatchers.set(strings[index], compiled.patternMatchers[i]))
    return { kind: ORDERED, value, patternMatchers, size: list.items.length }
  }
  const isPattern = new Set(rule.patternStrings)
  const exact = new Set()
  const patterns = []
  let maxExactLength = -1
  strings.forEach((s, i) => {
    if (isPattern.has(i)) return patterns.push(s)
    exact.add(s)
    if (s.length > maxExactLength) maxExactLength = s.length
  })
  const regexps = list === null ? [] : list.regexps.map(ownCopy)
  const inJs = new Set(rule.jsRegexes)
  const translated = []
  const jsOnly = []
  regexps.forEach((re, i) => (inJs.has(i) ? jsOnly : translated).push(re))
  const matcher = compiled.matcher || null
  return {
    kind: LIST,
    exact,
    maxExactLength,
    patterns,
    matchAll: rule.matchAll,
    matcher,
    regexps,
    translated,
    jsOnly,
    needsMatcher: matcher !== null || jsOnly.length > 0,
    verdicts: new Map(),
    size: list === null ? 1 : list.items.length
  }
}

function runtimeOrigin (rule, compiled, value, list) {
  switch (rule.kind) {
    case 'any': return ANY_ORIGIN
    case 'fixed': return { kind: FIXED, value }
    case 'reflect': return REFLECT_ORIGIN
    case 'list': return listOrigin(rule, compiled, value, list)
    default: return null // disabled, or dynamic: decided per request
  }
}

// Rust throws a TypeError carrying the finding's code; it is made again here
// so that it belongs to the caller's realm (vm contexts, jest) as well.
function compileNative (input) {
  try {
    return native.compilePolicy(input)
  } catch (err) {
    const error = new TypeError(err.message)
    error.code = err.code
    throw error
  }
}

function build (input, list, originValue, status) {
  const compiled = compileNative(input)
  const view = compiled.policy
  return {
    disabled: view.origin.kind === 'disabled',
    dynamic: view.origin.kind === 'dynamic',
    origin: runtimeOrigin(view.origin, compiled, originValue, list),
    credentials: view.credentials,
    methods: view.methods || undefined,
    reflectHeaders: view.allowHeaders.kind === 'reflect',
    allowedHeaders: (view.allowHeaders.kind === 'fixed' && view.allowHeaders.value) || undefined,
    exposedHeaders: view.exposeHeaders || undefined,
    maxAge: view.maxAge || undefined,
    preflightContinue: view.preflight.kind === 'continue',
    // The value as given: Node writes `value | 0`, res.statusCode keeps it.
    status,
    preflightError: view.preflight.kind === 'throws' ? view.preflight.message : null,
    strictPreflight: view.strictPreflight,
    allowPrivateNetwork: view.allowPrivateNetwork,
    cacheControl: view.cacheControl || undefined,
    findings: view.findings
  }
}

// Compile options already under the defaults. perRequest: they came from a
// delegate. sink: null to warn, or an array that collects the findings.
function compileMerged (merged, perRequest, sink) {
  const { input, list } = resolveOptions(merged, perRequest)
  // An ordered list runs on the user's own objects, and a String object is
  // sent as itself: those policies belong to their options alone.
  const status = merged.optionsSuccessStatus
  const shared = !(list !== null && list.ordered) && !(merged.origin instanceof String) &&
    (typeof status !== 'object' || status === null)
  const key = shared ? inputKey(input) : null
  let policy = key === null ? undefined : policies.get(key)
  if (policy === undefined) {
    policy = build(input, list, merged.origin, status)
    if (key !== null) policies.set(key, policy)
  }
  report(policy.findings, sink)
  return policy
}

// The origin rule of a value an origin callback returned (cors sets it as
// the origin option, so any origin form works; a function means reflect).
function compileOriginValue (value, sink) {
  if (typeof value === 'function') return REFLECT_ORIGIN
  return compileMerged(mergeWithDefaults({ origin: value }), true, sink).origin
}

module.exports = { compileMerged, compileOriginValue, ANY, FIXED, REFLECT, LIST, ORDERED }

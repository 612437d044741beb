'use strict'

// The compiled policy: Rust compiles (native.compilePolicy: validation,
// rendered headers, matcher, findings), and this file turns Rust's answer
// into the object the request path reads, keeping beside it only what must
// stay JS: the user's strings for the exact-origin Set (compared as JS
// strings), RegExps that run in JS, and the origin value of an ordered list.
// lib/policy.js decides when to compile (the cache); this file compiles.

const native = require('./native')
const { copyRegExp } = require('./options')
const { nearMissesOf } = require('./refusal')

// Origin rule kinds, as the request path switches on them.
const ANY = 1
const FIXED = 2
const REFLECT = 3
const LIST = 4
const ORDERED = 5

const ANY_ORIGIN = Object.freeze({ kind: ANY })
const REFLECT_ORIGIN = Object.freeze({ kind: REFLECT })

const NONE = Object.freeze([])

// Whether a short list holds a string twice.
function hasRepeats (strings) {
  for (let i = 1; i < strings.length; i++) {
    for (let j = 0; j < i; j++) {
      if (strings[i] === strings[j]) return true
    }
  }
  return false
}

function listOrigin (rule, compiled, value, list) {
  const strings = list === null ? [value] : list.strings
  if (list !== null && list.ordered) {
    const patternMatchers = new Map()
    rule.patternStrings.forEach((index, i) => patternMatchers.set(strings[index], compiled.patternMatchers[i]))
    return { kind: ORDERED, value, patternMatchers }
  }
  // The exact origins, each once: compared in turn while few (no hashing
  // of new strings), in a Set past that. A short list without patterns or
  // repeats is used as it is (its strings, read once, are not changed).
  let exact = rule.patternStrings.length === 0 && strings.length <= 8 && !hasRepeats(strings) ? strings : null
  let maxExactLength = -1
  if (exact !== null) {
    for (let i = 0; i < strings.length; i++) {
      if (strings[i].length > maxExactLength) maxExactLength = strings[i].length
    }
  } else {
    exact = []
    let nextPattern = 0
    for (let i = 0; i < strings.length; i++) {
      if (nextPattern < rule.patternStrings.length && rule.patternStrings[nextPattern] === i) {
        nextPattern++ // a pattern: the matcher decides it
        continue
      }
      const s = strings[i]
      if (Array.isArray(exact)) {
        if (exact.includes(s)) continue
        exact.push(s)
        if (exact.length > 8) exact = new Set(exact)
      } else {
        exact.add(s)
      }
      if (s.length > maxExactLength) maxExactLength = s.length
    }
  }
  const exactCount = Array.isArray(exact) ? exact.length : exact.size
  // Copies the policy owns, so that a later change to the user's objects
  // cannot change a policy that other options share.
  const regexps = list === null || list.regexps.length === 0 ? NONE : list.regexps.map(copyRegExp)
  let translated = regexps
  let jsOnly = NONE
  if (rule.jsRegexes.length > 0) {
    const inJs = new Set(rule.jsRegexes)
    translated = regexps.filter((re, i) => !inJs.has(i))
    jsOnly = regexps.filter((re, i) => inJs.has(i))
  }
  const matcher = compiled.matcher || null
  const needsMatcher = matcher !== null || jsOnly.length > 0
  // Up to four exact origins and nothing else: compared in turn
  // (lib/decide.js), without the Set or the recent answers.
  const few = !needsMatcher && !rule.matchAll && exactCount <= 4 ? exact : null
  return {
    kind: LIST,
    exact: few !== null ? null : Array.isArray(exact) ? new Set(exact) : exact,
    few,
    // The few exact origins on the rule itself (undefined past their
    // number): the request path compares them without another object.
    few0: few === null ? undefined : few[0],
    few1: few === null ? undefined : few[1],
    few2: few === null ? undefined : few[2],
    few3: few === null ? undefined : few[3],
    maxExactLength,
    matchAll: rule.matchAll,
    matcher,
    regexps,
    translated,
    jsOnly,
    needsMatcher,
    // Verdicts of the slow path (matcher, JS RegExps); none without one.
    verdicts: needsMatcher ? new Map() : null,
    // The last four answers, [origin, allowed, ...] (lib/decide.js).
    recent: few === null ? [null, false, null, false, null, false, null, false] : null,
    recentSlot: 0
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

// JSON for Rust. A lone surrogate (JSON.stringify escapes only those as
// \udXXX) is not valid in Rust's strings: such strings travel as U+FFFD.
// Rust never compares them: exact origins are matched in JS, on the user's
// own strings.
function wellFormed (key, value) {
  return typeof value === 'string' ? value.toWellFormed() : value
}

function inputJson (input) {
  const json = JSON.stringify(input)
  return json.indexOf('\\ud') === -1 ? json : JSON.stringify(input, wellFormed)
}

// Rust throws a TypeError carrying the finding's code; it is made again in
// the caller's realm (vm contexts, jest) so that instanceof TypeError holds
// there as well. The nginx export (lib/nginx.js) uses it too.
function callerRealmError (err) {
  const error = new TypeError(err.message)
  error.code = err.code
  return error
}

function compileNative (input) {
  try {
    return native.compilePolicy(inputJson(input))
  } catch (err) {
    throw callerRealmError(err)
  }
}

// Rust's view of a policy (`view` in src/napi/policy.rs): one string of
// NUL-separated fields, split here. VIEW_FIELDS names them in order, as
// Rust's FIELDS does (a Rust test compares the two lists).
const VIEW_FIELDS = Object.freeze([
  'escaped', 'origin', 'matchAll', 'patternStrings', 'jsRegexes', 'credentials',
  'methods', 'allowHeadersRule', 'allowHeaders', 'exposeHeaders', 'maxAge',
  'preflight', 'preflightValue', 'strictPreflight', 'allowPrivateNetwork',
  'cacheControl', 'findings', 'originFindings', 'strict'
])
const NO_MATCHERS = Object.freeze({ matcher: null, patternMatchers: NONE })
// The origin rule of a list of exact origins (compileFromTemplate).
const EXACT_LIST = Object.freeze({ kind: 'list', matchAll: false, patternStrings: NONE, jsRegexes: NONE })
const ESCAPED = /\u0001[01]/g // eslint-disable-line no-control-regex -- U+0001 is the view's escape character
const unescapeField = (field) => field.replace(ESCAPED, (m) => m === '\u00010' ? '\u0000' : '\u0001')
const indices = (field) => field === '' ? NONE : field.split(',').map(Number)

// Each field's position in the view, by name.
const AT = Object.freeze(Object.fromEntries(VIEW_FIELDS.map((name, i) => [name, i])))

function readView (text) {
  const f = text.split('\u0000')
  if (f[AT.escaped] === 'e') {
    for (let i = 1; i < f.length; i++) f[i] = unescapeField(f[i])
  }
  return {
    origin: { kind: f[AT.origin], matchAll: f[AT.matchAll] === '1', patternStrings: indices(f[AT.patternStrings]), jsRegexes: indices(f[AT.jsRegexes]) },
    credentials: f[AT.credentials] === '1',
    methods: f[AT.methods],
    reflectHeaders: f[AT.allowHeadersRule] === 'reflect',
    allowedHeaders: f[AT.allowHeaders],
    exposeHeaders: f[AT.exposeHeaders],
    maxAge: f[AT.maxAge],
    preflight: f[AT.preflight],
    preflightValue: f[AT.preflightValue],
    strictPreflight: f[AT.strictPreflight] === '1',
    allowPrivateNetwork: f[AT.allowPrivateNetwork] === '1',
    cacheControl: f[AT.cacheControl],
    findings: f[AT.findings] === '' ? NONE : JSON.parse(f[AT.findings]),
    originFindings: Number(f[AT.originFindings]),
    strict: f[AT.strict] === '1'
  }
}

function build (input, list, originValue, status) {
  const result = compileNative(input)
  const compiled = typeof result === 'string' ? NO_MATCHERS : result
  const view = readView(typeof result === 'string' ? result : result.policy)
  const origin = runtimeOrigin(view.origin, compiled, originValue, list)
  if (origin !== null && (origin.kind === LIST || origin.kind === ORDERED)) {
    // Entries that can never equal a browser's Origin, for the diagnosis
    // of a refused origin (explain(), NODE_DEBUG).
    origin.nearMisses = nearMissesOf(view.findings)
  }
  return new Policy(view.origin.kind, origin, {
    credentials: view.credentials,
    methods: view.methods || undefined,
    reflectHeaders: view.reflectHeaders,
    allowedHeaders: view.allowedHeaders || undefined,
    exposedHeaders: view.exposeHeaders || undefined,
    maxAge: view.maxAge || undefined,
    preflightContinue: view.preflight === 'continue',
    status,
    preflightError: view.preflight === 'throws' ? view.preflightValue : null,
    strictPreflight: view.strictPreflight,
    allowPrivateNetwork: view.allowPrivateNetwork,
    cacheControl: view.cacheControl || undefined,
    strict: view.strict
  }, view.findings, view.originFindings, !!compiled.matcher || compiled.patternMatchers.length > 0)
}

// A compiled policy as the request path reads it. kind: Rust's origin rule
// ('disabled', 'dynamic', ...); origin: its runtime form (runtimeOrigin);
// base: every other field, from Rust's view or from a template policy
// (compileFromTemplate).
class Policy {
  constructor (kind, origin, base, findings, originFindings, hasMatcher) {
    this.disabled = kind === 'disabled'
    this.dynamic = kind === 'dynamic'
    this.origin = origin
    this.credentials = base.credentials
    this.methods = base.methods
    this.reflectHeaders = base.reflectHeaders
    this.allowedHeaders = base.allowedHeaders
    this.exposedHeaders = base.exposedHeaders
    this.maxAge = base.maxAge
    this.preflightContinue = base.preflightContinue
    // The value as given: Node writes `value | 0`, res.statusCode keeps it.
    this.status = base.status
    this.preflightError = base.preflightError
    this.strictPreflight = base.strictPreflight
    this.allowPrivateNetwork = base.allowPrivateNetwork
    this.cacheControl = base.cacheControl
    this.strict = base.strict
    this.findings = findings
    // The first originFindings of findings are the origin option's.
    this.originFindings = originFindings
    this.hasMatcher = hasMatcher
    this.reported = false
    this.perRequest = false
    // The cache entry it was remembered under (lib/cache.js), if any.
    this.entry = null
  }
}

// The policy of origin strings on a compiled policy's other options (a
// tenant's list, `{ origin: req.headers.origin }`, cors(options) per
// request): Rust compiles the strings alone, against the template's
// credentials and strict (compileOriginStrings: the same rule and
// findings as a whole compile, which puts the origin option's findings
// first), and every other field is the template's. `value`: the origin
// option, one string (fixed) or a flat array of strings (`strings`, its
// elements). null when the strings need a whole compile (a pattern, '*',
// an empty string or one with NUL).
function withOriginStrings (template, fixed, value, strings) {
  for (let i = 0; i < strings.length; i++) {
    if (strings[i] === '') return null
  }
  // native.compileOriginStrings (src/napi/origin_strings.rs): the strings
  // separated by NUL, and flags with their number (one that holds NUL
  // itself splits into more: Rust answers '*').
  const flags = (fixed ? 1 : 0) + (template.credentials ? 2 : 0) + (template.strict ? 4 : 0) + strings.length * 8
  let result
  try {
    result = native.compileOriginStrings(fixed ? value : strings.join('\u0000'), flags)
  } catch (err) {
    throw callerRealmError(err)
  }
  if (result === '*') return null
  const findings = result === '' ? NONE : JSON.parse(result)
  let origin
  if (fixed) {
    origin = { kind: FIXED, value }
  } else {
    origin = listOrigin(EXACT_LIST, NO_MATCHERS, value, { strings, ordered: false, regexps: NONE })
    origin.nearMisses = nearMissesOf(findings)
  }
  const rest = template.findings.length === template.originFindings ? NONE : template.findings.slice(template.originFindings)
  return new Policy(fixed ? 'fixed' : 'list', origin, template, rest === NONE ? findings : findings.concat(rest), findings.length, false)
}

module.exports = { build, withOriginStrings, inputJson, callerRealmError, ANY_ORIGIN, REFLECT_ORIGIN, ANY, FIXED, REFLECT, LIST, ORDERED }

'use strict'

// Options -> the compiled policy the request path reads. Rust compiles
// (native.compilePolicy: validation, rendered headers, matcher, findings);
// this file only keeps, beside Rust's answer, what must stay JS: the user's
// strings for the exact-origin Set (compared as JS strings), RegExps that
// run in JS, and the origin value of an ordered list.

const native = require('./native')
const { DEFAULTS, readOptions, mergeWithDefaults, resolveOptions, copyRegExp, copyOriginValue } = require('./options')
const { report } = require('./warnings')
const { policies, promote } = require('./cache')
const { readingOf, compiledValue, Probe, NO_PROBE } = require('./reading')
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

function listOrigin (rule, compiled, value, list) {
  const strings = list === null ? [value] : list.strings
  if (list !== null && list.ordered) {
    const patternMatchers = new Map()
    rule.patternStrings.forEach((index, i) => patternMatchers.set(strings[index], compiled.patternMatchers[i]))
    return { kind: ORDERED, value, patternMatchers }
  }
  const exact = new Set()
  let maxExactLength = -1
  let nextPattern = 0
  for (let i = 0; i < strings.length; i++) {
    if (nextPattern < rule.patternStrings.length && rule.patternStrings[nextPattern] === i) {
      nextPattern++ // a pattern: the matcher decides it
      continue
    }
    exact.add(strings[i])
    if (strings[i].length > maxExactLength) maxExactLength = strings[i].length
  }
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
  return {
    kind: LIST,
    exact,
    // Up to four exact origins and nothing else: compared in turn.
    few: !needsMatcher && !rule.matchAll && exact.size <= 4 ? Array.from(exact) : null,
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
    recent: [null, false, null, false, null, false, null, false],
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
  'cacheControl', 'findings'
])
const NO_MATCHERS = Object.freeze({ matcher: null, patternMatchers: NONE })
const ESCAPED = /\u0001[01]/g // eslint-disable-line no-control-regex -- U+0001 is the view's escape character
const unescapeField = (field) => field.replace(ESCAPED, (m) => m === '\u00010' ? '\u0000' : '\u0001')
const indices = (field) => field === '' ? NONE : field.split(',').map(Number)

function readView (text) {
  const parts = text.split('\u0000')
  const escaped = parts[0] === 'e'
  const f = {}
  for (let i = 0; i < VIEW_FIELDS.length; i++) {
    f[VIEW_FIELDS[i]] = escaped && i > 0 ? unescapeField(parts[i]) : parts[i]
  }
  return {
    origin: { kind: f.origin, matchAll: f.matchAll === '1', patternStrings: indices(f.patternStrings), jsRegexes: indices(f.jsRegexes) },
    credentials: f.credentials === '1',
    methods: f.methods,
    reflectHeaders: f.allowHeadersRule === 'reflect',
    allowedHeaders: f.allowHeaders,
    exposeHeaders: f.exposeHeaders,
    maxAge: f.maxAge,
    preflight: f.preflight,
    preflightValue: f.preflightValue,
    strictPreflight: f.strictPreflight === '1',
    allowPrivateNetwork: f.allowPrivateNetwork === '1',
    cacheControl: f.cacheControl,
    findings: f.findings === '' ? NONE : JSON.parse(f.findings)
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
  return {
    disabled: view.origin.kind === 'disabled',
    dynamic: view.origin.kind === 'dynamic',
    origin,
    credentials: view.credentials,
    methods: view.methods || undefined,
    reflectHeaders: view.reflectHeaders,
    allowedHeaders: view.allowedHeaders || undefined,
    exposedHeaders: view.exposeHeaders || undefined,
    maxAge: view.maxAge || undefined,
    preflightContinue: view.preflight === 'continue',
    // The value as given: Node writes `value | 0`, res.statusCode keeps it.
    status,
    preflightError: view.preflight === 'throws' ? view.preflightValue : null,
    strictPreflight: view.strictPreflight,
    allowPrivateNetwork: view.allowPrivateNetwork,
    cacheControl: view.cacheControl || undefined,
    findings: view.findings,
    hasMatcher: !!compiled.matcher || compiled.patternMatchers.length > 0,
    reported: false,
    perRequest: false,
    // The cache entry it was remembered under (lib/cache.js), if any.
    entry: null
  }
}

function reportOnce (policy, sink) {
  if (sink !== null) {
    report(policy.findings, sink)
  } else if (!policy.reported) {
    report(policy.findings, null)
    policy.reported = true
  }
  return policy
}

// The policy for an options object, read once (options.readOptions): the
// remembered one when everything cors reads reads the same (lib/reading.js,
// lib/cache.js), or a compile of what was read.
// perRequest: it came from a delegate. sink: null to warn, or an array for
// explain's findings; explain compiles its own copies of the options (its
// dry runs must not touch the user's RegExps), so the cache of live options
// is not used for it. last: the policy a delegate answered its previous
// request with (read against first when the options object is not known
// and its probe is the same: a delegate returning new objects with the same
// values, or a shared array).
function policyFor (options, read, perRequest, sink, last) {
  // An own __proto__ key changes what the merged options inherit: compiled
  // as cors merges them, every time.
  if (sink !== null || read.keys.indexOf('__proto__') !== -1) return compileMerged(read, perRequest, sink)
  const known = policies.forObject(options, perRequest)
  let reading
  if (known !== undefined) {
    reading = readingOf(read, known, NO_PROBE)
    if (reading === known) return known.policy
  }
  const previous = last !== undefined && last !== null ? last.entry : null
  const found = findByContent(read, reading, perRequest, previous)
  if (found.policy !== null) {
    policies.foundFor(options, found, perRequest)
    return reportOnce(found.policy, null)
  }
  return compile(options, found, perRequest)
}

// The entry (a compiled reading) equal to this read's reading, or the
// read's reading (to compile). reading: the read's reading if already made
// (then nothing is read again), else undefined: the options are read
// against the first entry with their probe (their first origin string, read
// once), the delegate's previous entry first.
function findByContent (read, reading, perRequest, previous) {
  const probe = reading === undefined ? new Probe(read) : null
  const text = reading === undefined ? probe.text : reading.probe
  if (previous !== null && previous.probe === text) {
    if (reading === undefined) {
      reading = readingOf(read, previous, probe)
      if (reading === previous) return previous
    } else if (previous.equals(reading)) {
      return previous
    }
  }
  for (let b = 0; b < 2; b++) {
    const bucket = policies.bucket(text, perRequest, b === 1)
    if (bucket === undefined) continue
    for (let i = 0; i < bucket.length; i++) {
      const entry = bucket[i]
      if (reading === undefined) {
        reading = readingOf(read, entry, probe)
        if (reading !== entry) continue
      } else if (entry === previous || !entry.equals(reading)) {
        continue
      }
      promote(bucket, i)
      return entry
    }
  }
  return reading === undefined ? readingOf(read, null, probe) : reading
}

function compile (options, reading, perRequest) {
  const merged = Object.assign({}, DEFAULTS)
  const inputs = {}
  for (let i = 0; i < reading.keys.length; i++) {
    const { value, input } = compiledValue(reading.parts[i])
    merged[reading.keys[i]] = value
    if (input !== null) inputs[reading.keys[i]] = input
  }
  const { input, list } = resolveOptions(merged, perRequest, inputs)
  const policy = build(input, list, merged.origin, merged.optionsSuccessStatus)
  policy.perRequest = perRequest
  reading.compiled(policy)
  policy.entry = reading
  policies.add(options, reading, perRequest)
  return reportOnce(policy, null)
}

// Options compiled as cors merges them, outside the cache (explain's copies).
function compileMerged (read, perRequest, sink) {
  const merged = mergeWithDefaults(read)
  if (sink !== null) merged.origin = copyOriginValue(merged.origin)
  const { input, list } = resolveOptions(merged, perRequest)
  const policy = build(input, list, merged.origin, merged.optionsSuccessStatus)
  policy.perRequest = perRequest
  return reportOnce(policy, sink)
}

// The origin rule of a value an origin callback returned (cors sets it as
// the origin option, so any origin form works; a function means reflect).
// Strings an origin callback returned that were already checked for
// findings (a near-miss origin), bounded.
const checkedStrings = new Set()

function checkedBefore (value) {
  if (checkedStrings.has(value)) return true
  if (checkedStrings.size >= 1024) checkedStrings.clear()
  checkedStrings.add(value)
  return false
}

// requestOrigin: the request's Origin; a callback returning it returns a
// serialized origin, with nothing to check.
function compileOriginValue (value, sink, requestOrigin) {
  if (typeof value === 'string') {
    if (value === '*') return ANY_ORIGIN
    if (value.indexOf('*') === -1 && (value === requestOrigin || (sink === null && checkedBefore(value)))) {
      return { kind: FIXED, value }
    }
  } else if (value instanceof String) {
    return { kind: FIXED, value }
  } else if (!Array.isArray(value) && !(value instanceof RegExp)) {
    return REFLECT_ORIGIN // true, a function, any other truthy value
  }
  const options = { origin: value }
  return policyFor(options, readOptions(options), true, sink).origin
}

// The origin option of a read (the function of a dynamic policy).
function originOf (read) {
  const index = read.keys.lastIndexOf('origin')
  return index === -1 ? DEFAULTS.origin : read.values[index]
}

module.exports = { inputJson, callerRealmError, policyFor, originOf, compileOriginValue, ANY, FIXED, REFLECT, LIST }

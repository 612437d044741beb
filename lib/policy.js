'use strict'

// Options -> the compiled policy the request path reads: the remembered one
// when the options read the same as options compiled before (lib/reading.js,
// lib/cache.js), a policy made from a remembered one when only origin
// strings are new, else a compile (lib/compiled.js, through Rust).

const { DEFAULTS, readOptions, mergeWithDefaults, resolveOptions, copyOriginValue } = require('./options')
const { report } = require('./warnings')
const { policies, promote } = require('./cache')
const { readingOf, compiledValue, Probe, NO_PROBE, NOT_READ, sameKeys, sameFlat, onlyOriginStringsDiffer } = require('./reading')
const { build, withOriginStrings, ANY_ORIGIN, REFLECT_ORIGIN, FIXED } = require('./compiled')

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
  if (sink !== null) return compileMerged(read, perRequest, sink)
  let known = policies.forObject(options, perRequest)
  let reading
  if (known !== undefined) {
    if (Array.isArray(known)) {
      // A flat form: [policy, entry, what was read] (lib/reading.js).
      if (sameFlat(known, read, NOT_READ)) return known[0]
      known = known[1]
    } else if (known.sameRead(read, NOT_READ)) {
      return known.policy
    }
    reading = readingOf(read, known, NO_PROBE)
    if (reading === known) return known.policy
  }
  const previous = last !== undefined && last !== null ? last.entry : null
  const found = findByContent(read, reading, perRequest, previous)
  if (found.policy !== null) {
    policies.foundFor(options, found, perRequest)
    return reportOnce(found.policy, null)
  }
  // An own __proto__ key changes what the merged options inherit: compiled
  // as cors merges them, every time (never remembered, so never found
  // above: a remembered reading's keys never include it).
  if (read.keys.indexOf('__proto__') !== -1) return compileMerged(read, perRequest, null)
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
      if (previous.sameRead(read, probe.leaf0)) return previous
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
        if (!entry.sameRead(read, probe.leaf0)) {
          reading = readingOf(read, entry, probe)
          if (reading !== entry) continue
        }
      } else if (entry === previous || !entry.equals(reading)) {
        continue
      }
      promote(bucket, i)
      return entry
    }
  }
  if (reading !== undefined) return reading
  return readAgainstTemplate(read, probe, perRequest, previous)
}

// Options new to the cache, read against a compiled reading with the same
// keys (the delegate's previous one, else a recent one with origin
// strings): what reads the same is shared with it, and when only the origin
// strings differ, the reading is marked to be compiled from it
// (compileFromTemplate).
function readAgainstTemplate (read, probe, perRequest, previous) {
  const template = previous !== null && sameKeys(read.keys, previous.keys)
    ? previous
    : policies.templateFor(read.keys, perRequest)
  if (template === null) return readingOf(read, null, probe)
  const reading = readingOf(read, template, probe)
  if (reading !== template && onlyOriginStringsDiffer(reading, template)) reading.template = template
  return reading
}

function compile (options, reading, perRequest) {
  if (reading.template !== null) {
    const policy = compileFromTemplate(reading, perRequest)
    if (policy !== null) return remember(options, reading, policy, perRequest)
  }
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
  return remember(options, reading, policy, perRequest)
}

function remember (options, reading, policy, perRequest) {
  reading.compiled(policy)
  policy.entry = reading
  policies.add(options, reading, perRequest)
  return reportOnce(policy, null)
}

// A policy for a reading that differs from its template only in origin
// strings (lib/compiled.js, withOriginStrings); null when the strings need
// a whole compile.
function compileFromTemplate (reading, perRequest) {
  const part = reading.parts[reading.keys.indexOf('origin')]
  const fixed = typeof part === 'string'
  const policy = withOriginStrings(reading.template.policy, fixed, part, fixed ? [part] : part.items)
  if (policy !== null) policy.perRequest = perRequest
  return policy
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

module.exports = { policyFor, originOf, compileOriginValue }

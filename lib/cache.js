'use strict'

// The caches in front of the compiler. None of them can answer for a value
// it did not compile:
// - an options object seen before (by identity, or among the last few) is
//   reused only when every own option still holds the same values: arrays
//   compared element by element (nested ones too), RegExps by identity,
//   source, flags and own properties, String objects by identity and text;
// - otherwise the options' content is the key (`optionsKey`): every string
//   is length-prefixed and every value tagged, so no two different option
//   sets share a key; values a key cannot describe (functions other than an
//   origin callback, objects, stateful RegExps) make the options uncacheable.

// -- snapshots ---------------------------------------------------------------

// What must be unchanged for a remembered policy to still be the right one.
// By content: a policy depends on the strings, numbers and RegExp sources it
// was compiled from, not on which array held them. By identity too (strict)
// when the policy runs on the user's own objects (a stateful RegExp keeps
// cors's order on the user's array).
function snapshot (value, depth) {
  if (Array.isArray(value)) {
    if (depth > 64) throw new RangeError('too deep to remember')
    const items = new Array(value.length)
    for (let i = 0; i < value.length; i++) items[i] = snapshot(value[i], depth + 1)
    return { array: value, items }
  }
  if (value instanceof RegExp) {
    return { regexp: value, source: value.source, flags: value.flags, props: Object.getOwnPropertyNames(value).length }
  }
  if (value instanceof String) return { string: value, text: String(value) }
  return { value }
}

function isStateful (re) {
  return re.global || re.sticky || Object.getPrototypeOf(re) !== RegExp.prototype || Object.getOwnPropertyNames(re).length !== 1
}

function unchanged (value, snap, strict) {
  if (snap.array !== undefined) {
    if (!Array.isArray(value) || value.length !== snap.items.length || (strict && value !== snap.array)) return false
    for (let i = 0; i < snap.items.length; i++) {
      if (!unchanged(value[i], snap.items[i], strict)) return false
    }
    return true
  }
  if (snap.regexp !== undefined) {
    if (value === snap.regexp) {
      return value.source === snap.source && value.flags === snap.flags && Object.getOwnPropertyNames(value).length === snap.props
    }
    // Another RegExp object with the same source and flags decides the same,
    // unless its answers depend on state or own methods.
    return !strict && value instanceof RegExp && value.source === snap.source && value.flags === snap.flags &&
      !isStateful(value) && snap.props === 1
  }
  if (snap.string !== undefined) return value === snap.string && String(value) === snap.text
  return value === snap.value || (value !== value && snap.value !== snap.value) // eslint-disable-line no-self-compare
}

// The options as read once: own enumerable keys and their values (a getter
// runs once here, as in cors's Object.assign).
function readOptions (options) {
  if (options === null || options === undefined) return { keys: [], values: [] }
  const keys = Object.keys(options)
  const values = new Array(keys.length)
  for (let i = 0; i < keys.length; i++) values[i] = options[keys[i]]
  return { keys, values }
}

// A remembered read of options, and the policy compiled from it.
class Entry {
  constructor (read, policy, strict) {
    this.keys = read.keys
    this.snapshots = read.values.map((value) => snapshot(value, 0))
    this.policy = policy
    this.strict = strict
  }

  matches (read) {
    const keys = this.keys
    if (read.keys.length !== keys.length) return false
    for (let i = 0; i < keys.length; i++) {
      if (read.keys[i] !== keys[i] || !unchanged(read.values[i], this.snapshots[i], this.strict)) return false
    }
    return true
  }
}

// strict: the policy runs on the user's own origin objects.
function entryFor (read, policy, strict) {
  try {
    return new Entry(read, policy, strict)
  } catch {
    return null // an array too deep (or cyclic) to remember
  }
}

// Options objects met before, by identity (a delegate's per-tenant objects).
const byObject = new WeakMap()

// Remembered reads of options by a probe: the first string among their
// values (an origin, usually), so that options built afresh with the same
// values (a delegate's `{ origin: [tenant.app, tenant.admin] }` per request,
// cors(options) per request) find their policy by one Map lookup and one
// comparison. A few entries per probe, most recent first.
const PER_PROBE = 8

function probeOf (read) {
  const values = read.values
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    if (typeof value === 'string') return value
    if (Array.isArray(value) && value.length > 0 && typeof value[0] === 'string') return value[0]
  }
  return ''
}

class ReadOptionsCache {
  constructor (maxProbes) {
    this.maxProbes = maxProbes
    this.buckets = new Map()
  }

  find (read, perRequest) {
    const bucket = this.buckets.get(probeOf(read))
    if (bucket === undefined) return undefined
    for (let i = 0; i < bucket.length; i++) {
      const entry = bucket[i]
      if (entry.policy.perRequest === perRequest && entry.matches(read)) {
        if (i > 0) {
          bucket.splice(i, 1)
          bucket.unshift(entry)
        }
        return entry.policy
      }
    }
    return undefined
  }

  add (read, entry) {
    const probe = probeOf(read)
    let bucket = this.buckets.get(probe)
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxProbes) this.buckets.delete(this.buckets.keys().next().value)
      bucket = []
      this.buckets.set(probe, bucket)
    }
    if (bucket.length >= PER_PROBE) bucket.pop()
    bucket.unshift(entry)
  }
}

// For the whole process: rustCors(options) and every delegate. Policies that
// hold a native matcher (RegExps, patterns) are kept fewer: they are larger,
// and V8 does not see their memory.
const plainReads = new ReadOptionsCache(4096)
const matcherReads = new ReadOptionsCache(32)
const byRead = {
  find (read, perRequest) {
    const policy = plainReads.find(read, perRequest)
    return policy !== undefined ? policy : matcherReads.find(read, perRequest)
  },
  add (read, entry) {
    (entry.policy.hasMatcher ? matcherReads : plainReads).add(read, entry)
  }
}

// -- content keys ----------------------------------------------------------

function valueKey (value, name, depth) {
  switch (typeof value) {
    case 'string': return 's' + value.length + ':' + value
    case 'number': return 'n' + String(value) + ';'
    case 'boolean': return value ? 'T' : 'F'
    case 'undefined': return 'u'
    case 'function': return name === 'origin' ? 'f' : null // a callback's identity does not change the policy
    case 'object': {
      if (value === null) return 'N'
      if (Array.isArray(value)) {
        if (depth > 64) return null
        let key = '['
        for (let i = 0; i < value.length; i++) {
          const item = valueKey(value[i], name, depth + 1)
          if (item === null) return null
          key += item
        }
        return key + ']'
      }
      if (value instanceof RegExp) {
        if (value.global || value.sticky || Object.getPrototypeOf(value) !== RegExp.prototype ||
          Object.getOwnPropertyNames(value).length !== 1) return null
        return 'r' + value.flags + '/' + value.source.length + ':' + value.source
      }
      return null
    }
    default: return null
  }
}

// The content address of options (already under the defaults), or null.
function optionsKey (merged) {
  let key = ''
  for (const name in merged) {
    const value = valueKey(merged[name], name, 0)
    if (value === null) return null
    key += name.length + ':' + name + '=' + value
  }
  return key
}

// A bounded map that forgets its oldest entry.
class BoundedMap {
  constructor (max) {
    this.max = max
    this.map = new Map()
  }

  get (key) {
    return this.map.get(key)
  }

  set (key, value) {
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value)
    this.map.set(key, value)
  }
}

// Compiled policies by content, for the whole process. Policies that hold
// a native matcher (RegExps, patterns) are kept fewer: they are larger.
const byContent = new BoundedMap(4096)
const byContentWithMatcher = new BoundedMap(256)

function lookupContent (key) {
  return byContent.get(key) || byContentWithMatcher.get(key)
}

function storeContent (key, policy, hasMatcher) {
  (hasMatcher ? byContentWithMatcher : byContent).set(key, policy)
}

module.exports = { readOptions, entryFor, byObject, byRead, optionsKey, lookupContent, storeContent }

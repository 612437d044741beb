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

// The last few reads of options, most recent first (a fresh object with the
// same values, as a delegate that builds `{ origin: list }` per request).
class RecentOptions {
  constructor (max) {
    this.max = max
    this.entries = []
  }

  find (read, perRequest) {
    for (let i = 0; i < this.entries.length; i++) {
      const entry = this.entries[i]
      if (entry.policy.perRequest === perRequest && entry.matches(read)) {
        if (i > 0) {
          this.entries.splice(i, 1)
          this.entries.unshift(entry)
        }
        return entry.policy
      }
    }
    return undefined
  }

  add (entry) {
    if (this.entries.length >= this.max) this.entries.pop()
    this.entries.unshift(entry)
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

module.exports = { readOptions, entryFor, byObject, RecentOptions, optionsKey, lookupContent, storeContent, BoundedMap }

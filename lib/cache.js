'use strict'

// The cache in front of the compiler. It cannot answer for options it did
// not compile: a remembered policy is reused only when every own option
// holds the same values as when it was compiled, compared one by one (arrays
// element by element, nested ones too; RegExps by source, flags and own
// properties, by identity when their answers depend on state; String objects
// and functions by identity). There is no key to collide.

const { isStatefulRegExp } = require('./options')

// -- snapshots ---------------------------------------------------------------

// What must be unchanged for a remembered policy to still be the right one.
// By content: a policy depends on the strings, numbers and RegExp sources it
// was compiled from, not on which array held them. By identity too (strict)
// when the policy runs on the user's own objects (a stateful RegExp keeps
// cors's order on the user's array).
function snapshot (value, depth) {
  if (Array.isArray(value)) {
    if (depth > 64) throw new RangeError('too deep to remember')
    // An array of strings (the usual list) is compared element by element
    // in one loop; other arrays element by element through snapshots.
    if (value.every((item) => typeof item === 'string')) return { array: value, strings: value.slice() }
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

function unchanged (value, snap, strict) {
  if (snap.array !== undefined) {
    if (!Array.isArray(value) || (strict && value !== snap.array)) return false
    const strings = snap.strings
    if (strings !== undefined) {
      if (value.length !== strings.length) return false
      for (let i = 0; i < strings.length; i++) {
        if (value[i] !== strings[i]) return false
      }
      return true
    }
    if (value.length !== snap.items.length) return false
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
      !isStatefulRegExp(value) && snap.props === 1
  }
  if (snap.string !== undefined) return value === snap.string && String(value) === snap.text
  return value === snap.value || (Number.isNaN(value) && Number.isNaN(snap.value))
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

// Remembered reads of options, found by a probe: the first and the last
// string among their values (origins, usually), two Map lookups on strings
// whose hashes V8 keeps, then a comparison of every value. Options built
// afresh with the same values (a delegate's `{ origin: [tenant.app,
// tenant.admin] }` per request, cors(options) per request) find their policy
// without a compile; tenants that share an origin are still told apart by
// their last one. A few entries per probe, most recent first.

function firstString (value) {
  if (typeof value === 'string') return value
  if (Array.isArray(value) && value.length > 0 && typeof value[0] === 'string') return value[0]
  return null
}

function lastString (value) {
  if (typeof value === 'string') return value
  if (Array.isArray(value) && value.length > 0 && typeof value[value.length - 1] === 'string') return value[value.length - 1]
  return null
}

function firstProbe (read) {
  const values = read.values
  for (let i = 0; i < values.length; i++) {
    const s = firstString(values[i])
    if (s !== null) return s
  }
  return ''
}

function lastProbe (read) {
  const values = read.values
  for (let i = values.length - 1; i >= 0; i--) {
    const s = lastString(values[i])
    if (s !== null) return s
  }
  return ''
}

class ReadOptionsCache {
  constructor (maxProbes, perProbe) {
    this.maxProbes = maxProbes
    this.perProbe = perProbe
    this.size = 0
    this.byFirst = new Map()
  }

  find (read, perRequest) {
    const byLast = this.byFirst.get(firstProbe(read))
    const bucket = byLast === undefined ? undefined : byLast.get(lastProbe(read))
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
    const first = firstProbe(read)
    const last = lastProbe(read)
    let byLast = this.byFirst.get(first)
    let bucket = byLast === undefined ? undefined : byLast.get(last)
    if (bucket === undefined) {
      // Bounded: past the limit, the oldest first strings are forgotten.
      while (this.size >= this.maxProbes) {
        const [oldest, forgotten] = this.byFirst.entries().next().value
        this.byFirst.delete(oldest)
        this.size -= forgotten.size
        if (oldest === first) byLast = undefined
      }
      if (byLast === undefined) {
        byLast = new Map()
        this.byFirst.set(first, byLast)
      }
      bucket = []
      byLast.set(last, bucket)
      this.size++
    }
    if (bucket.length >= this.perProbe) bucket.pop()
    bucket.unshift(entry)
  }
}

// For the whole process: rustCors(options) and every delegate. Policies that
// hold a native matcher (RegExps, patterns) are kept fewer: they are larger,
// and V8 does not see their memory.
class PolicyCache {
  constructor () {
    this.plain = new ReadOptionsCache(4096, 16)
    this.withMatcher = new ReadOptionsCache(32, 4)
  }

  find (read, perRequest) {
    const policy = this.plain.find(read, perRequest)
    return policy !== undefined ? policy : this.withMatcher.find(read, perRequest)
  }

  add (read, entry) {
    if (entry.policy.hasMatcher) this.withMatcher.add(read, entry)
    else this.plain.add(read, entry)
  }
}

const byRead = new PolicyCache()

module.exports = { entryFor, byRead }

'use strict'

// The caches behind compiled policies. None of them can answer for a value
// it did not compile: keys are structural (JSON of the plain input, where
// every string is quoted), and the delegate fast path compares a snapshot of
// the options element by element, arrays and RegExps included.

// A bounded map that forgets the least recently used entry.
class LruCache {
  constructor (max) {
    this.max = max
    this.map = new Map()
  }

  get (key) {
    const value = this.map.get(key)
    if (value !== undefined) {
      this.map.delete(key)
      this.map.set(key, value)
    }
    return value
  }

  set (key, value) {
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value)
    this.map.set(key, value)
  }
}

// JSON keeps NaN, Infinity and -Infinity apart from null and each other.
function keyReplacer (name, value) {
  return typeof value === 'number' && !Number.isFinite(value) ? 'number:' + String(value) : value
}

// The content address of a resolved input.
function inputKey (input) {
  return JSON.stringify(input, keyReplacer)
}

// Compiled policies shared by the whole process: the same options built
// again (cors(options) per request, a delegate, an origin callback) reuse
// one compiled policy.
const policies = new LruCache(256)

// -- the delegate fast path ------------------------------------------------

// A snapshot of one option value: what must be unchanged for a remembered
// policy to still be the right one.
function snapshot (value) {
  if (Array.isArray(value)) return { array: value, items: value.map(snapshot) }
  if (value instanceof RegExp) return { regexp: value, source: value.source, flags: value.flags, props: Object.getOwnPropertyNames(value).length }
  if (value instanceof String) return { string: value, text: String(value) }
  return { value }
}

function unchanged (value, snap) {
  if (snap.array !== undefined) {
    if (value !== snap.array || value.length !== snap.items.length) return false
    for (let i = 0; i < snap.items.length; i++) {
      if (!unchanged(value[i], snap.items[i])) return false
    }
    return true
  }
  if (snap.regexp !== undefined) {
    return value === snap.regexp && value.source === snap.source && value.flags === snap.flags &&
      Object.getOwnPropertyNames(value).length === snap.props
  }
  if (snap.string !== undefined) return value === snap.string && String(value) === snap.text
  return value === snap.value || (value !== value && snap.value !== snap.value) // eslint-disable-line no-self-compare
}

// The last few option objects a delegate returned, with their policies.
class RecentPolicies {
  constructor (max) {
    this.max = max
    this.entries = []
  }

  // merged: a plain copy of the options (each getter already read once).
  find (merged) {
    outer: for (let e = 0; e < this.entries.length; e++) {
      const entry = this.entries[e]
      let n = 0
      for (const key in merged) {
        if (n >= entry.keys.length || key !== entry.keys[n] || !unchanged(merged[key], entry.snapshots[n])) continue outer
        n++
      }
      if (n === entry.keys.length) return entry.policy
    }
    return undefined
  }

  remember (merged, policy) {
    const keys = Object.keys(merged)
    let snapshots
    try {
      snapshots = keys.map((key) => snapshot(merged[key]))
    } catch {
      return policy // an array too deep (or cyclic) to snapshot: not remembered
    }
    if (this.entries.length >= this.max) this.entries.pop()
    this.entries.unshift({ keys, snapshots, policy })
    return policy
  }
}

module.exports = { LruCache, policies, inputKey, RecentPolicies }

'use strict'

// How cors's origin option is read (lib/reading.js reads the rest): an array
// or RegExp as its leaves in cors's order, nested arrays flattened, each
// element read once; a String object as itself and its text. Read again
// against a remembered reading, the remembered one comes back when every
// leaf is the same (a stateless RegExp by source and flags, a stateful one
// only as itself), and the leaves read before a difference are not read
// twice.

const { isStatefulRegExp, isRealRegExp, regExpSource, regExpFlags, CycleError } = require('./options')

const NONE = []
// An element not read yet (lib/reading.js's Probe reads the first one).
const NOT_READ = Symbol('not read')

// What a RegExp is read as: the same source and flags, and whether its
// answers depend on state or own methods (then only the object itself is the
// same RegExp: the policy runs it in JS, in cors's order).
// Source and flags come from the internal slots (an own `source` is not
// what test() runs); an object that only inherits from RegExp.prototype has
// none (null) and is the same only as itself.
class RegExpInfo {
  constructor (re) {
    const real = isRealRegExp(re)
    this.source = real ? regExpSource(re) : null
    this.flags = real ? regExpFlags(re) : null
    this.stateful = isStatefulRegExp(re)
  }

  // x, read now, decides as the RegExp `was` (remembered with this info).
  // The same object keeps deciding the same while its source and flags
  // (global and sticky among them) are unchanged, its prototype is
  // RegExp.prototype and it has no own test or exec (what cors's test()
  // calls); a stateful one runs as itself, in cors's order, anyway.
  sameAs (x, was) {
    if (!(x instanceof RegExp)) return false
    if (this.source === null) return x === was
    if (!isRealRegExp(x) || regExpSource(x) !== this.source || regExpFlags(x) !== this.flags) return false
    if (x === was) return this.stateful || (Object.getPrototypeOf(x) === RegExp.prototype && !Object.hasOwn(x, 'test') && !Object.hasOwn(x, 'exec'))
    return !this.stateful && !isStatefulRegExp(x)
  }
}

class OriginList {
  constructor (items, infos, first, flat) {
    this.items = items // the leaves, in order, as read
    this.infos = infos // a RegExpInfo per RegExp leaf (null elsewhere), or NONE
    this.first = first // the array's first element when a string (the probe), or ''
    // Read from one array of strings, none nested: an array reads the same
    // when its elements are these strings (lib/reading.js, Reading.sameRead).
    this.flat = flat
  }

  // A new reading when `value` reads differently; this one when it reads the same.
  readAgain (value, leaf0) {
    if (Array.isArray(value) || value instanceof RegExp) return flatten(value, this, leaf0)
    return readOrigin(value, leaf0)
  }

  equals (other) {
    const a = this.items
    const b = other.items
    if (a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) {
      if (!sameLeaf(b[i], a[i], this.infos, i, other.infos.length === 0 ? null : other.infos)) return false
    }
    return true
  }
}

// x, a leaf read now (with its RegExpInfo when known, xInfos), and `was`,
// the remembered leaf i.
function sameLeaf (x, was, infos, i, xInfos) {
  if (typeof was === 'string') return x === was
  if (!(was instanceof RegExp)) return x === was || (Number.isNaN(was) && Number.isNaN(x))
  const info = infos[i]
  const xi = xInfos === null ? undefined : xInfos[i]
  if (xi === undefined || xi === null) return info.sameAs(x, was)
  if (xi.source !== info.source || xi.flags !== info.flags) return false
  return x === was ? xi.stateful === info.stateful : !xi.stateful && !info.stateful
}

// The leaves of an origin array (any depth, without recursion) or RegExp,
// each element read once. Against a remembered reading, returns it when
// every leaf is the same; otherwise the leaves read up to the difference are
// taken from it and the rest read on.
// leaf0: root[0] when the probe already read it (else NOT_READ).
function flatten (root, was, leaf0) {
  const expected = was === null ? NONE : was.items
  const infos = was === null ? NONE : was.infos
  let known = 0 // root[0..known) already read: they were expected[0..known)
  let pending = leaf0 // root[known], already read (or NOT_READ)
  // A flat list of strings read again: one loop, nothing allocated.
  if (was !== null && infos === NONE && Array.isArray(root) && root.length === expected.length) {
    for (; known < expected.length; known++) {
      const leaf = known === 0 && leaf0 !== NOT_READ ? leaf0 : root[known]
      if (leaf !== expected[known]) {
        pending = leaf
        break
      }
    }
    if (known === expected.length) return was
  }
  let items = null // the leaves, once they differ from `was`
  let count = 0 // how many of items are filled
  let n = 0
  let array = root instanceof RegExp ? [root] : root
  let index = 0
  let stack = null // enclosing arrays and where to go on in them
  let onPath = null
  let first = ''
  for (;;) {
    if (index >= array.length) {
      if (stack === null || stack.length === 0) break
      onPath.delete(array)
      index = stack.pop()
      array = stack.pop()
      continue
    }
    let leaf
    if (array !== root || index > known) leaf = array[index]
    else leaf = index < known ? expected[index] : pending === NOT_READ ? array[index] : pending
    if (index === 0 && array === root && typeof leaf === 'string') first = leaf
    index++
    if (Array.isArray(leaf)) {
      if (stack === null) {
        stack = []
        onPath = new Set([root])
      }
      if (onPath.has(leaf)) throw new CycleError(root)
      onPath.add(leaf)
      stack.push(array, index)
      array = leaf
      index = 0
      continue
    }
    if (items === null) {
      if (n < expected.length && sameLeaf(leaf, expected[n], infos, n, null)) {
        n++
        continue
      }
      // Sized for the root's elements (a push would grow it to 17 slots);
      // nested leaves extend it.
      items = new Array(Math.max(n + 1, root instanceof RegExp ? 1 : root.length))
      for (; count < n; count++) items[count] = expected[count]
    }
    items[count++] = leaf
  }
  if (items === null) {
    if (was !== null && n === expected.length && first === was.first) return was
    items = n === 0 ? [] : expected.slice(0, n)
  } else if (items.length !== count) {
    items.length = count
  }
  const same = Math.min(n, infos.length)
  let out = NONE
  let strings = true
  for (let i = 0; i < items.length; i++) {
    if (typeof items[i] !== 'string') strings = false
    if (items[i] instanceof RegExp) {
      if (out === NONE) out = new Array(items.length).fill(null)
      out[i] = i < same && infos[i] !== null ? infos[i] : new RegExpInfo(items[i])
    }
  }
  return new OriginList(items, out, first, strings && stack === null && Array.isArray(root))
}

// A String object origin is a fixed origin: the object itself is sent.
class StringObjectOrigin {
  constructor (object) {
    this.object = object
    this.text = String(object)
  }

  readAgain (value, leaf0) {
    return value === this.object && String(value) === this.text ? this : readOrigin(value, leaf0)
  }

  equals (other) { return other.object === this.object && other.text === this.text }
}

function readOrigin (value, leaf0) {
  if (Array.isArray(value) || value instanceof RegExp) return flatten(value, null, leaf0)
  if (value instanceof String) return new StringObjectOrigin(value)
  return value
}

module.exports = { OriginList, StringObjectOrigin, readOrigin, NOT_READ }

'use strict'

// What cors reads from options on a request, read once: the reading that a
// policy is compiled from and that the cache compares (lib/cache.js). Equal
// readings mean an equal policy, because the compile sees nothing else.
//
// A part per option: primitives, functions and other objects cors only
// tests for truth are the value itself (compared with ===; NaN equals NaN).
// What cors converts is read through the same conversion: an origin array or
// RegExp as its leaves in cors's order (nested arrays flattened, each element
// read once), a header list as its strings (a plain array with the standard
// join) or as the text of its own join() or toString(), a maxAge object as
// the text of its toString(). A part can be read again against a remembered
// one: the remembered part comes back when every value read equals it, so a
// repeat allocates nothing, and elements read before a difference are not
// read twice.

const { headerOption, maxAgeOption, statusOption, isStatefulRegExp, CycleError } = require('./options')

const ARRAY_JOIN = Array.prototype.join
const NONE = Object.freeze([])

function isObject (value) {
  return value !== null && (typeof value === 'object' || typeof value === 'function')
}

// -- origin: the leaves of an array or RegExp --------------------------------

// What a RegExp is read as: the same source and flags, and whether its
// answers depend on state or own methods (then only the object itself is the
// same RegExp: the policy runs it in JS, in cors's order).
class RegExpInfo {
  constructor (re) {
    this.source = re.source
    this.flags = re.flags
    this.stateful = isStatefulRegExp(re)
  }

  // x, read now, decides as the RegExp `was` (remembered with this info).
  sameAs (x, was) {
    if (!(x instanceof RegExp) || x.source !== this.source || x.flags !== this.flags) return false
    return x === was ? isStatefulRegExp(x) === this.stateful : !this.stateful && !isStatefulRegExp(x)
  }
}

class OriginList {
  constructor (items, infos) {
    this.items = items // the leaves, in order, as read
    this.infos = infos // a RegExpInfo per RegExp leaf (null elsewhere), or NONE
  }

  // A new reading when `value` reads differently; this one when it reads the same.
  readAgain (value) {
    if (Array.isArray(value) || value instanceof RegExp) return flatten(value, this)
    return readOrigin(value)
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
  if (!(was instanceof RegExp)) return x === was || (was !== was && x !== x) // eslint-disable-line no-self-compare
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
function flatten (root, was) {
  const expected = was === null ? NONE : was.items
  const infos = was === null ? NONE : was.infos
  let items = null // the leaves, once they differ from `was`
  let n = 0
  const take = function (leaf) {
    if (items === null) {
      if (n < expected.length && sameLeaf(leaf, expected[n], infos, n, null)) {
        n++
        return
      }
      items = expected.slice(0, n)
    }
    items.push(leaf)
  }
  if (root instanceof RegExp) {
    take(root)
  } else {
    let onPath = null
    const stack = [root, 0]
    while (stack.length > 0) {
      const array = stack[stack.length - 2]
      const index = stack[stack.length - 1]
      if (index >= array.length) {
        if (onPath !== null) onPath.delete(array)
        stack.length -= 2
        continue
      }
      stack[stack.length - 1] = index + 1
      const element = array[index]
      if (Array.isArray(element)) {
        if (onPath === null) onPath = new Set([root])
        if (onPath.has(element)) throw new CycleError(root)
        onPath.add(element)
        stack.push(element, 0)
      } else {
        take(element)
      }
    }
  }
  if (items === null) {
    if (was !== null && n === expected.length) return was
    items = expected.slice(0, n)
  }
  const known = Math.min(n, infos.length)
  let out = NONE
  for (let i = 0; i < items.length; i++) {
    if (items[i] instanceof RegExp) {
      if (out === NONE) out = new Array(items.length).fill(null)
      out[i] = i < known && infos[i] !== null ? infos[i] : new RegExpInfo(items[i])
    }
  }
  return new OriginList(items, out)
}

// A String object origin is a fixed origin: the object itself is sent.
class StringObjectOrigin {
  constructor (object) {
    this.object = object
    this.text = String(object)
  }

  readAgain (value) {
    return value === this.object && String(value) === this.text ? this : readOrigin(value)
  }

  equals (other) { return other.object === this.object && other.text === this.text }
}

function readOrigin (value) {
  if (Array.isArray(value) || value instanceof RegExp) return flatten(value, null)
  if (value instanceof String) return new StringObjectOrigin(value)
  return value
}

// -- header lists, maxAge, the status: read through cors's conversions --------

function sameGiven (a, b) {
  if (a === b) return true
  if (!isObject(a) || !isObject(b)) return false
  for (const key in a) return key in b && (a[key] === b[key] || (a[key] !== a[key] && b[key] !== b[key])) // eslint-disable-line no-self-compare
  return false
}

function sameNames (a, b) {
  if (a === b) return true
  if (a === undefined || b === undefined || a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false
  }
  return true
}

// The Rust input of a header list or maxAge (options.headerOption,
// options.maxAgeOption), computed from what was read.
function sameInput (a, b) {
  return sameGiven(a.given, b.given) && sameNames(a.names, b.names) && a.text === b.text && a.throws === b.throws
}

// A header list option (methods, allowedHeaders, headers, exposedHeaders)
// that is an object. `plain`: the elements read, when it is an array with
// the standard join (null otherwise: its own join or toString is called on
// every read).
class HeaderRead {
  constructor (input, plain, primitive) {
    this.input = input
    this.plain = plain
    this.primitive = primitive // every element a primitive: equal elements, equal text
  }

  readAgain (value, needsLength) {
    if (this.primitive && Array.isArray(value) && value.join === ARRAY_JOIN) {
      const plain = this.plain
      let i = 0
      const n = value.length
      if (n === plain.length) {
        for (; i < n; i++) {
          const x = value[i]
          if (x !== plain[i]) return readHeaderArray(value, needsLength, plain.slice(0, i), x, i + 1)
        }
        return this
      }
      return readHeaderArray(value, needsLength, [], undefined, 0)
    }
    const read = readHeader(value, needsLength)
    return read instanceof HeaderRead && sameInput(read.input, this.input) ? this : read
  }

  equals (other) { return sameInput(this.input, other.input) }
}

// An array with the standard join: its elements read once (into a plain
// copy, `prefix` and `pending` already read), then converted from the copy.
function readHeaderArray (value, needsLength, prefix, pending, from) {
  const plain = prefix
  if (from > 0) plain.push(pending)
  for (let i = from; i < value.length; i++) plain.push(value[i])
  for (let i = 0; i < plain.length; i++) {
    // An element that is an object converts through its own toString, and
    // join skips the arrays it is already joining (a list that contains
    // itself): such a list is joined as itself, on every read.
    if (isObject(plain[i])) return new HeaderRead(headerOption(value, needsLength), null, false)
  }
  return new HeaderRead(headerOption(plain, needsLength), plain, true)
}

function readHeader (value, needsLength) {
  if (!isObject(value)) return value
  if (Array.isArray(value) && value.join === ARRAY_JOIN) return readHeaderArray(value, needsLength, [], undefined, 0)
  return new HeaderRead(headerOption(value, needsLength), null, false)
}

// maxAge and optionsSuccessStatus objects: converted on every read. A
// maxAge is its text; the status stays the object given (res.statusCode
// keeps it), and its number decides whether a preflight can be answered.
class ConvertedRead {
  constructor (value, input, byIdentity) {
    this.value = value
    this.input = input
    this.byIdentity = byIdentity
  }

  equals (other) {
    return (!this.byIdentity || other.value === this.value) && sameInput(this.input, other.input) && this.input.status === other.input.status
  }
}

function readMaxAge (value) {
  return isObject(value) ? new ConvertedRead(value, maxAgeOption(value), false) : value
}

function readStatus (value) {
  return isObject(value) ? new ConvertedRead(value, statusOption(value), true) : value
}

const asIs = (value) => value

// -- whole options ---------------------------------------------------------------

// How each option cors reads is read. Options cors never reads are not
// compared (their getters ran once when the options were read).
const READERS = Object.assign(Object.create(null), {
  origin: (value, was) => was instanceof OriginList || was instanceof StringObjectOrigin ? was.readAgain(value) : readOrigin(value),
  methods: (value, was) => headerAgain(value, was, false),
  allowedHeaders: (value, was) => headerAgain(value, was, true),
  headers: (value, was) => headerAgain(value, was, true),
  exposedHeaders: (value, was) => headerAgain(value, was, true),
  maxAge: readMaxAge,
  optionsSuccessStatus: readStatus,
  credentials: asIs,
  preflightContinue: asIs,
  strict: asIs,
  strictPreflight: asIs,
  allowPrivateNetwork: asIs,
  cacheControl: asIs
})

function headerAgain (value, was, needsLength) {
  return was instanceof HeaderRead ? was.readAgain(value, needsLength) : readHeader(value, needsLength)
}

// Parts of this file's classes are compared by what they read; any other
// object by identity.
function samePart (a, b) {
  if (a === b) return true
  if (!isObject(a) || !isObject(b)) return a !== a && b !== b // eslint-disable-line no-self-compare
  if (a instanceof OriginList) return b instanceof OriginList && a.equals(b)
  if (a instanceof HeaderRead) return b instanceof HeaderRead && a.equals(b)
  if (a instanceof ConvertedRead) return b instanceof ConvertedRead && a.equals(b)
  if (a instanceof StringObjectOrigin) return b instanceof StringObjectOrigin && a.equals(b)
  return false
}

// The reading of options as read (options.readOptions: keys and values).
// Against a remembered reading (`was`, or null) with the same keys, returns
// `was` itself when everything reads the same.
function readingOf (read, was) {
  const keys = read.keys
  const values = read.values
  if (was !== null && !sameKeys(keys, was.keys)) was = null
  let parts = was === null ? [] : null
  for (let i = 0; i < keys.length; i++) {
    const before = was === null ? undefined : was.parts[i]
    const reader = READERS[keys[i]]
    const part = reader === undefined ? values[i] : reader(values[i], before)
    if (parts === null) {
      if (was !== null && (part === before || (reader === undefined ? true : samePart(part, before)))) continue
      parts = was.parts.slice(0, i)
    }
    parts.push(part)
  }
  return parts === null ? was : new Reading(keys, parts)
}

function sameKeys (a, b) {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false
  }
  return true
}

class Reading {
  constructor (keys, parts) {
    this.keys = keys
    this.parts = parts
  }

  // Equal readings of options built apart (the content cache).
  equals (other) {
    if (!sameKeys(this.keys, other.keys)) return false
    for (let i = 0; i < this.parts.length; i++) {
      if (READERS[this.keys[i]] !== undefined && !samePart(this.parts[i], other.parts[i])) return false
    }
    return true
  }

  // The first and last strings among the parts (the content cache's probe).
  firstString () {
    for (let i = 0; i < this.parts.length; i++) {
      const s = stringOf(this.parts[i], false)
      if (s !== null) return s
    }
    return ''
  }

  lastString () {
    for (let i = this.parts.length - 1; i >= 0; i--) {
      const s = stringOf(this.parts[i], true)
      if (s !== null) return s
    }
    return ''
  }
}

function stringOf (part, last) {
  if (typeof part === 'string') return part
  const list = part instanceof OriginList ? part.items : part instanceof HeaderRead ? part.plain : null
  if (list === null || list.length === 0) return null
  const s = list[last ? list.length - 1 : 0]
  return typeof s === 'string' ? s : null
}

// The value to compile for an option: what was read, in the form the compile
// takes (origin leaves as a flat array; header and maxAge inputs as computed).
function compiledValue (part) {
  if (part instanceof OriginList) return { value: part.items, input: null }
  if (part instanceof StringObjectOrigin) return { value: part.object, input: null }
  if (part instanceof HeaderRead) return { value: part.plain !== null ? part.plain : part.input, input: part.input }
  if (part instanceof ConvertedRead) return { value: part.value, input: part.input }
  return { value: part, input: null }
}

module.exports = { readingOf, compiledValue }

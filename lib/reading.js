'use strict'

// What cors reads from options on a request, read once: the reading that a
// policy is compiled from and that the cache compares (lib/cache.js). Equal
// readings mean an equal policy, because the compile sees nothing else.
//
// A part per option: primitives, functions and other objects cors only
// tests for truth are the value itself (compared with ===; NaN equals NaN).
// What cors converts is read through the same conversion: an origin array or
// RegExp as its leaves in cors's order (lib/origin-reading.js: nested arrays flattened, each element
// read once), a header list as its strings (a plain array with the standard
// join) or as the text of its own join() or toString(), a maxAge object as
// the text of its toString(). A part can be read again against a remembered
// one: the remembered part comes back when every value read equals it, so a
// repeat allocates nothing, and elements read before a difference are not
// read twice.

const { headerOption, maxAgeOption, statusOption } = require('./options')
const { OriginList, StringObjectOrigin, readOrigin, NOT_READ } = require('./origin-reading')

const ARRAY_JOIN = Array.prototype.join

function isObject (value) {
  return value !== null && (typeof value === 'object' || typeof value === 'function')
}

// -- header lists, maxAge, the status: read through cors's conversions --------

function sameGiven (a, b) {
  if (a === b) return true
  if (!isObject(a) || !isObject(b)) return false
  const keys = Object.keys(a)
  return keys.length === 1 && keys[0] in b && (a[keys[0]] === b[keys[0]] || (Number.isNaN(a[keys[0]]) && Number.isNaN(b[keys[0]])))
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

// -- whole options ---------------------------------------------------------------

// What is not read: an option cors never reads is not compared (its getter
// ran once when the options were read).
const UNREAD = Symbol('unread')

// How each option cors reads is read, against what it read before (or
// undefined). A switch on the key compares interned strings. leaf0: the
// origin array's first element, when the probe read it.
function readPart (key, value, was, leaf0) {
  switch (key) {
    case 'origin': return was instanceof OriginList || was instanceof StringObjectOrigin ? was.readAgain(value, leaf0) : readOrigin(value, leaf0)
    case 'methods': return headerAgain(value, was, false)
    case 'allowedHeaders':
    case 'headers':
    case 'exposedHeaders': return headerAgain(value, was, true)
    case 'maxAge': return readMaxAge(value)
    case 'optionsSuccessStatus': return readStatus(value)
    case 'credentials':
    case 'preflightContinue':
    case 'strict':
    case 'strictPreflight':
    case 'allowPrivateNetwork':
    case 'cacheControl': return value
    default: return UNREAD
  }
}

const isRead = (key) => readPart(key, undefined, undefined, NOT_READ) !== UNREAD

// What finds a remembered reading by content: the origin string, or the
// origin array's first element when it is a string (read here once, and
// handed to the reading), else ''.
class Probe {
  constructor (read) {
    this.text = ''
    this.leaf0 = NOT_READ
    const index = read.keys.indexOf('origin')
    if (index === -1) return
    const value = read.values[index]
    if (typeof value === 'string') {
      this.text = value
    } else if (Array.isArray(value) && value.length > 0) {
      this.leaf0 = value[0]
      if (typeof this.leaf0 === 'string') this.text = this.leaf0
    }
  }
}

const NO_PROBE = new Probe({ keys: [], values: [] })

function headerAgain (value, was, needsLength) {
  return was instanceof HeaderRead ? was.readAgain(value, needsLength) : readHeader(value, needsLength)
}

// Parts of this file's classes are compared by what they read; any other
// object by identity.
function samePart (a, b) {
  if (a === b) return true
  if (!isObject(a) || !isObject(b)) return Number.isNaN(a) && Number.isNaN(b)
  if (a instanceof OriginList) return b instanceof OriginList && a.equals(b)
  if (a instanceof HeaderRead) return b instanceof HeaderRead && a.equals(b)
  if (a instanceof ConvertedRead) return b instanceof ConvertedRead && a.equals(b)
  if (a instanceof StringObjectOrigin) return b instanceof StringObjectOrigin && a.equals(b)
  return false
}

// The reading of options as read (options.readOptions: keys and values).
// Against a remembered reading (`was`, or null) with the same keys, returns
// `was` itself when everything reads the same.
// probe: the Probe of this read (its first origin element already read).
function readingOf (read, was, probe) {
  const keys = read.keys
  const values = read.values
  if (was !== null && !sameKeys(keys, was.keys)) was = null
  let parts = was === null ? [] : null
  let text = ''
  for (let i = 0; i < keys.length; i++) {
    const before = was === null ? undefined : was.parts[i]
    // A primitive read again (primitives are read as themselves).
    if (parts === null && values[i] === before && !isObject(before)) continue
    let part = readPart(keys[i], values[i], before, probe.leaf0)
    if (part === UNREAD) part = values[i]
    else if (parts === null && part !== before && !samePart(part, before)) parts = was.parts.slice(0, i)
    if (parts !== null) {
      parts.push(part)
      if (keys[i] === 'origin') text = typeof part === 'string' ? part : part instanceof OriginList ? part.first : ''
    }
  }
  return parts === null ? was : new Reading(keys, parts, text)
}

function sameKeys (a, b) {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false
  }
  return true
}

// Key lists are shared by every reading with the same keys (a few per app),
// so comparing them touches memory that stays in cache.
const KEY_LISTS = new Map()
function sharedKeys (keys) {
  const id = keys.join('\u0000')
  let shared = KEY_LISTS.get(id)
  if (shared === undefined) {
    if (KEY_LISTS.size >= 256) return keys
    shared = keys.slice()
    KEY_LISTS.set(id, shared)
  }
  return shared
}

class Reading {
  constructor (keys, parts, probe) {
    this.keys = keys
    this.parts = parts
    this.probe = probe // what a Probe of the same options reads ('' when none)
    this.policy = null // the policy compiled from it, once compiled (a cache entry)
    this.seen = null // lib/cache.js
  }

  // Compiled from: remembered, with the key list shared with its likes.
  compiled (policy) {
    this.keys = sharedKeys(this.keys)
    this.policy = policy
  }

  // Equal readings of options built apart (the content cache).
  equals (other) {
    if (!sameKeys(this.keys, other.keys)) return false
    for (let i = 0; i < this.parts.length; i++) {
      if (!samePart(this.parts[i], other.parts[i]) && isRead(this.keys[i])) return false
    }
    return true
  }
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

module.exports = { readingOf, compiledValue, Probe, NO_PROBE }

'use strict'

// How cors's header list options (methods, allowedHeaders, headers,
// exposedHeaders), maxAge and optionsSuccessStatus are read (lib/reading.js
// reads the whole options; lib/origin-reading.js the origin): through cors's
// conversions, each value read once, and read again against a remembered
// reading without allocating when it reads the same.

const { headerOption, maxAgeOption, statusOption } = require('./options')

const ARRAY_JOIN = Array.prototype.join

function isObject (value) {
  return value !== null && (typeof value === 'object' || typeof value === 'function')
}

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

function headerAgain (value, was, needsLength) {
  return was instanceof HeaderRead ? was.readAgain(value, needsLength) : readHeader(value, needsLength)
}

module.exports = { HeaderRead, ConvertedRead, headerAgain, readMaxAge, readStatus, isObject }

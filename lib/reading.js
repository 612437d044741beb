'use strict'

// What cors reads from options on a request, read once: the reading that a
// policy is compiled from and that the cache compares (lib/cache.js). Equal
// readings mean an equal policy, because the compile sees nothing else.
//
// A part per option: primitives, functions and other objects cors only
// tests for truth are the value itself (compared with ===; NaN equals NaN).
// What cors converts is read through the same conversion: an origin array or
// RegExp as its leaves in cors's order (lib/origin-reading.js: nested
// arrays flattened, each element read once), a header list as its strings
// (a plain array with the standard join) or as the text of its own join()
// or toString(), a maxAge object as the text of its toString()
// (lib/header-reading.js). A part can be read again against a remembered
// one: the remembered part comes back when every value read equals it, so a
// repeat allocates nothing, and elements read before a difference are not
// read twice.
//
// Two shortcuts for the request path: a reading of plain values keeps them
// in one flat array that options already read are compared against
// (Reading.sameRead), and options that differ from a compiled reading only
// in origin strings are marked to be compiled from it (its `template`).

const { HeaderRead, ConvertedRead, headerAgain, readMaxAge, readStatus, isObject } = require('./header-reading')
const { OriginList, StringObjectOrigin, readOrigin, NOT_READ } = require('./origin-reading')

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
  // parts: filled by index, sized once (a push would grow it to 17 slots).
  let parts = was === null ? new Array(keys.length) : null
  let text = ''
  for (let i = 0; i < keys.length; i++) {
    const before = was === null ? undefined : was.parts[i]
    // A primitive read again (primitives are read as themselves).
    if (parts === null && values[i] === before && !isObject(before)) continue
    let part = readPart(keys[i], values[i], before, probe.leaf0)
    if (part === UNREAD) part = values[i]
    else if (parts === null && part !== before && !samePart(part, before)) {
      parts = new Array(keys.length)
      for (let j = 0; j < i; j++) parts[j] = was.parts[j]
      text = was.probe // the origin read the same so far
    }
    if (parts !== null) {
      parts[i] = part
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
// The last few shared lists, compared before joining the keys into an id.
const RECENT_KEYS = []
function sharedKeys (keys) {
  for (let i = 0; i < RECENT_KEYS.length; i++) {
    if (sameKeys(keys, RECENT_KEYS[i])) return RECENT_KEYS[i]
  }
  const id = keys.join('\u0000')
  let shared = KEY_LISTS.get(id)
  if (shared === undefined) {
    if (KEY_LISTS.size >= 256) return keys
    shared = keys.slice()
    KEY_LISTS.set(id, shared)
  }
  if (RECENT_KEYS.length >= 4) RECENT_KEYS.pop()
  RECENT_KEYS.unshift(shared)
  return shared
}

class Reading {
  constructor (keys, parts, probe) {
    this.keys = keys
    this.parts = parts
    this.probe = probe // what a Probe of the same options reads ('' when none)
    this.policy = null // the policy compiled from it, once compiled (a cache entry)
    this.seen = null // lib/cache.js
    this.found = 0 // lib/cache.js
    // A compiled reading it differs from only in origin strings, if any
    // (lib/policy.js, compileFromTemplate).
    this.template = null
    // Set when every part is the value itself (a primitive, or an object
    // cors only tests for truth) or a flat origin list of strings: the keys
    // and values in one array for sameRead (see there), else null.
    this.flat = undefined // made on first use (sameRead)
  }

  // Compiled from: remembered, with the key list shared with its likes.
  compiled (policy) {
    this.keys = this.template !== null ? this.template.keys : sharedKeys(this.keys)
    this.policy = policy
    this.template = null
  }

  // The flat form, made now if not yet (next to the reading in memory when
  // made as it is remembered: lib/cache.js).
  flatForm () {
    if (this.flat === undefined) this.flat = flatForm(this.keys, this.parts, this.policy, this)
    return this.flat
  }

  // Options as read (options.readOptions) read the same as this flat
  // reading: the same keys, the same values, an origin array with the same
  // strings. false is no answer: readingOf decides then (a NaN, an option
  // changed). What the request path of a multi-tenant delegate runs: one
  // loop over values already read against one array, nothing allocated.
  // leaf0: the origin array's first element when the probe read it (else
  // NOT_READ). Every element is read at most once per request: when the
  // answer is false after elements were read, the array's value in `read`
  // becomes a plain copy of them, which readingOf goes on from.
  sameRead (read, leaf0) {
    const flat = this.flat === undefined ? this.flatForm() : this.flat
    return flat !== null && sameFlat(flat, read, leaf0)
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

// Whether a compiled reading's origin can be the template of other origin
// strings: a string (not '*') or an origin list, and options a template can
// be read against (no getter-made key list is special here: the keys are
// compared first).
function hasOriginStrings (reading) {
  const index = reading.keys.indexOf('origin')
  return index !== -1 && originStrings(reading.parts[index]) !== null
}

// An origin part that is one string (not '*' or '') or a flat list of
// strings: 'fixed' or 'list'; else null.
function originStrings (part) {
  if (typeof part === 'string') return part !== '' && part !== '*' ? 'fixed' : null
  return part instanceof OriginList && part.flat && part.items.length > 0 ? 'list' : null
}

// `reading`, read against `template`, differs from it only in its origin,
// which is origin strings of the same form (both one string, or both a
// list): every other part is the template's own (readingOf shares them).
function onlyOriginStringsDiffer (reading, template) {
  if (!sameKeys(reading.keys, template.keys)) return false
  for (let i = 0; i < reading.keys.length; i++) {
    if (reading.keys[i] === 'origin') {
      const form = originStrings(reading.parts[i])
      if (form === null || form !== originStrings(template.parts[i])) return false
    } else if (reading.parts[i] !== template.parts[i]) {
      return false
    }
  }
  return true
}

// In a flat form, marks an origin list of strings: its length, then its
// strings follow. No option value can be this object.
const STRINGS = Object.freeze({ strings: true })

// Options as read read the same as the reading whose flat form this is
// (Reading.sameRead; lib/policy.js calls it on a flat form the cache
// holds for an options object, without touching the reading).
function sameFlat (flat, read, leaf0) {
  const keys = read.keys
  const values = read.values
  let at = FLAT_HEAD
  let listAt = -1 // the origin array, when read whole: its index in values
  let listFrom = 0
  for (let i = 0; i < keys.length; i++) {
    if (at >= flat.length || keys[i] !== flat[at]) return keepRead(values, listAt, flat, listFrom)
    const value = values[i]
    const part = flat[at + 1]
    if (part === STRINGS) {
      const n = flat[at + 2]
      if (!Array.isArray(value) || value.length !== n) return keepRead(values, listAt, flat, listFrom)
      at += 3
      for (let j = 0; j < n; j++) {
        const element = j === 0 && leaf0 !== NOT_READ ? leaf0 : value[j]
        if (element !== flat[at + j]) {
          values[i] = readCopy(value, flat, at, j, element)
          return false
        }
      }
      listAt = i
      listFrom = at
      at += n
    } else {
      if (value !== part) return keepRead(values, listAt, flat, listFrom)
      at += 2
    }
  }
  return at === flat.length || keepRead(values, listAt, flat, listFrom)
}

// sameRead's false, once the origin array at values[index] (if any, else
// index -1) was read whole: its elements, as read, are flat[from...].
function keepRead (values, index, flat, from) {
  if (index !== -1) values[index] = flat.slice(from, from + values[index].length)
  return false
}

// An origin array whose elements 0..j-1 read as flat[at..at+j-1] and whose
// element j read as `element`: a plain array of the elements as read, the
// rest read now (once).
function readCopy (value, flat, at, j, element) {
  const copy = new Array(value.length)
  for (let k = 0; k < j; k++) copy[k] = flat[at + k]
  copy[j] = element
  for (let k = j + 1; k < copy.length; k++) copy[k] = value[k]
  return copy
}

// The flat form of a compiled reading (Reading.sameRead): its policy and
// the reading itself (FLAT_HEAD slots: a request that finds it needs
// nothing else), then key, value, key, value, ..., a flat origin list as
// STRINGS, its length and its strings; or null.
const FLAT_HEAD = 2
function flatForm (keys, parts, policy, reading) {
  const flat = [policy, reading]
  for (let i = 0; i < keys.length; i++) {
    const part = parts[i]
    flat.push(keys[i])
    if (part instanceof OriginList) {
      if (!part.flat) return null
      flat.push(STRINGS, part.items.length)
      for (let j = 0; j < part.items.length; j++) flat.push(part.items[j])
    } else if (part instanceof HeaderRead || part instanceof ConvertedRead || part instanceof StringObjectOrigin) {
      return null
    } else {
      flat.push(part)
    }
  }
  return flat
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

module.exports = { readingOf, compiledValue, Probe, NO_PROBE, NOT_READ, sameKeys, sameFlat, hasOriginStrings, onlyOriginStringsDiffer }

'use strict'

// Option forms -> the plain data Rust deserializes (src/policy.rs,
// `PolicyInput`). Only what JS alone can read is decided here: the type of
// each value, a form's own join() or toString() (cors calls them), RegExp
// objects, String objects and nested arrays. Whether a value is valid, what
// it renders to and what to warn about is Rust's.

const DEFAULTS = Object.freeze({
  origin: '*',
  methods: 'GET,HEAD,PUT,PATCH,POST,DELETE',
  preflightContinue: false,
  optionsSuccessStatus: 204
})

// The options as read once: own enumerable keys and their values (a getter
// runs once here, as in cors's Object.assign).
function readOptions (options) {
  if (options === null || options === undefined) return { keys: [], values: [] }
  const keys = Object.keys(options)
  const values = new Array(keys.length)
  for (let i = 0; i < keys.length; i++) values[i] = options[keys[i]]
  return { keys, values }
}

// cors's own first step: the defaults under the options (as read once).
function mergeWithDefaults (read) {
  const merged = Object.assign({}, DEFAULTS)
  for (let i = 0; i < read.keys.length; i++) merged[read.keys[i]] = read.values[i]
  return merged
}

function describeValue (value) {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return 'an array'
  if (value instanceof RegExp) {
    return isRealRegExp(value)
      ? `the RegExp /${regExpSource(value).slice(0, 60)}/${regExpFlags(value)}`
      : 'an object that inherits from RegExp.prototype but is not a RegExp'
  }
  switch (typeof value) {
    case 'string': return `the string ${JSON.stringify(value.length > 60 ? value.slice(0, 60) + '…' : value)}`
    case 'number': return `the number ${String(value)}`
    case 'boolean': return `the boolean ${value}`
    case 'function': return 'a function'
    case 'bigint': return `the bigint ${String(value)}`
    case 'symbol': return 'a symbol'
    default: return 'an object'
  }
}

// What a value is, for Rust's checks and messages (`Given` in policy.rs,
// externally tagged: "undefined", {"boolean": true}, {"number": 600}, ...).
function given (value) {
  switch (typeof value) {
    case 'undefined': return 'undefined'
    case 'boolean': return { boolean: value }
    // JSON has no NaN or Infinity: they travel as text (policy.rs reads both).
    case 'number': return { number: Number.isFinite(value) ? value : String(value) }
    case 'string': return { string: value }
    default:
      if (typeof value === 'bigint') return { bigInt: String(value) }
      if (value === null) return 'null'
      if (value instanceof String) return { stringObject: String(value) }
      if (Array.isArray(value)) return 'array'
      return { other: describeValue(value) }
  }
}

// An array of strings whose `join` is Array.prototype.join: its names are
// what cors sends. A `join` of its own (an Array subclass, an own property)
// is called instead, as cors calls it.
function isPlainStringArray (value, join) {
  if (!Array.isArray(value) || join !== Array.prototype.join) return false
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string') return false
  }
  return true
}

// Array.prototype.slice without species (an Array subclass's constructor
// is user code).
function copyArray (array) {
  const copy = new Array(array.length)
  for (let i = 0; i < array.length; i++) copy[i] = array[i]
  return copy
}

// A list option read as cors reads it: a `join` makes it a list (joined with
// ','; a `join` that is not a function makes cors throw), and what cors then
// sends must be truthy (methods) or have a length (the others).
function headerOption (value, needsLength) {
  const input = { given: given(value) }
  if (value === null || value === undefined) {
    input.throws = !needsLength // cors reads `methods.join` unguarded
    return input
  }
  const join = value.join
  let sent = value
  if (join) {
    if (typeof join !== 'function') {
      input.throws = true
      return input
    }
    if (isPlainStringArray(value, join)) {
      input.names = copyArray(value)
      return input
    }
    sent = join.call(value, ',')
  } else if (typeof value === 'string' || value instanceof String) {
    return input
  }
  if (needsLength ? (sent && sent.length) : sent) {
    const text = textOf(sent)
    if (text === null) input.throws = true
    else input.text = text
  }
  return input
}

// The text Node writes for a header value; null when converting it throws
// (an object without toString, or a symbol, which String() alone would
// convert but Node's header check cannot): cors then fails on every preflight.
function textOf (value) {
  if (typeof value === 'symbol') return null
  try {
    return String(value)
  } catch {
    return null
  }
}

function maxAgeOption (value) {
  const input = { given: given(value) }
  if (typeof value === 'string' || value instanceof String) return input
  let text
  try {
    text = (typeof value === 'number' || value) && value.toString()
  } catch {
    input.throws = true // cors calls maxAge.toString() on every preflight
    return input
  }
  if (text && text.length) {
    const sent = textOf(text)
    if (sent === null) input.throws = true
    else input.text = sent
  }
  return input
}

function statusOption (value) {
  let status
  try {
    status = value | 0 // what Node's writeHead does with res.statusCode
  } catch {
    status = 0
  }
  return { given: given(value), status }
}

// -- the origin option ------------------------------------------------------

// A RegExp's own pattern and flags, read from its internal slots through
// RegExp.prototype's getters: an own `source` or `global` property (which
// RegExp.prototype.test never reads) cannot change them. Both throw on an
// object that only inherits from RegExp.prototype.
const SOURCE = Object.getOwnPropertyDescriptor(RegExp.prototype, 'source').get
const FLAG_GETTERS = [['d', 'hasIndices'], ['g', 'global'], ['i', 'ignoreCase'], ['m', 'multiline'],
  ['s', 'dotAll'], ['u', 'unicode'], ['v', 'unicodeSets'], ['y', 'sticky']]
  .map(([flag, name]) => [flag, Object.getOwnPropertyDescriptor(RegExp.prototype, name)])
  .filter(([, descriptor]) => descriptor !== undefined)
  .map(([flag, descriptor]) => [flag, descriptor.get])

function regExpSource (re) {
  return SOURCE.call(re)
}

function regExpFlags (re) {
  let flags = ''
  for (const [flag, get] of FLAG_GETTERS) {
    if (get.call(re)) flags += flag
  }
  return flags
}

// An `instanceof RegExp` object that is a real RegExp (not
// Object.create(RegExp.prototype), on which cors's test() throws).
function isRealRegExp (re) {
  try {
    SOURCE.call(re)
    return true
  } catch {
    return false
  }
}

// A RegExp whose test() depends on state or on overridden methods must run on
// the user's own object, in cors's order. So does an object that only
// inherits from RegExp.prototype.
function isStatefulRegExp (re) {
  if (!isRealRegExp(re)) return true
  const flags = regExpFlags(re)
  return flags.indexOf('g') !== -1 || flags.indexOf('y') !== -1 || Object.getPrototypeOf(re) !== RegExp.prototype ||
    Object.getOwnPropertyNames(re).length !== 1
}

// A copy of a RegExp that decides as the original does (source, flags,
// prototype, own methods and lastIndex), so that running the copy cannot
// change the user's object, nor a later change to it the copy.
// An object that only inherits from RegExp.prototype is copied as such (its
// test() throws as the original's does). Pattern and flags come from the
// internal slots, never from own `source`/`flags` properties.
function copyRegExp (re) {
  const copy = isRealRegExp(re) ? new RegExp(regExpSource(re), regExpFlags(re)) : {}
  Object.setPrototypeOf(copy, Object.getPrototypeOf(re))
  for (const name of Object.getOwnPropertyNames(re)) {
    if (name !== 'lastIndex') Object.defineProperty(copy, name, Object.getOwnPropertyDescriptor(re, name))
  }
  copy.lastIndex = re.lastIndex
  return copy
}

// An origin value with its (nested) arrays and RegExps copied (explain's and
// NODE_DEBUG's dry runs).
function copyOriginValue (value) {
  if (Array.isArray(value)) return value.map(copyOriginValue)
  if (value instanceof RegExp) return copyRegExp(value)
  return value
}

class CycleError extends TypeError {
  constructor (value) {
    super(`rust-cors: option \`origin\` must be a finite array of origins; got ${describeValue(value)} that contains itself, on which cors overflows the stack for every origin it does not find first. Remove the self-reference.`)
    this.code = 'RUST_CORS_INVALID_OPTION'
  }
}

// Flatten a (nested) origin array in cors's order, without recursion so that
// any depth cors accepts works here too. Strings (exact or pattern) and
// RegExps are kept; a String object never equals an origin in cors; any
// other truthy element allows every origin.
function flattenOrigins (root) {
  const list = { items: [], strings: [], regexps: [], matchAll: false, ordered: false, notRegExps: 0 }
  const onPath = new Set([root])
  const stack = [{ array: root, index: 0 }]
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]
    if (frame.index >= frame.array.length) {
      onPath.delete(frame.array)
      stack.pop()
      continue
    }
    const element = frame.array[frame.index++]
    if (Array.isArray(element)) {
      if (onPath.has(element)) throw new CycleError(root)
      onPath.add(element)
      stack.push({ array: element, index: 0 })
    } else if (typeof element === 'string') {
      list.items.push({ string: element })
      list.strings.push(element)
    } else if (element instanceof RegExp) {
      if (!isRealRegExp(element)) {
        // Not a RegExp: cors's test() throws a TypeError for every origin
        // not allowed before it. JS tests the list in order, on the user's
        // objects; Rust has nothing to compile.
        list.ordered = true
        list.notRegExps++
        continue
      }
      if (isStatefulRegExp(element)) list.ordered = true
      list.items.push({ regex: { source: regExpSource(element), flags: regExpFlags(element) } })
      list.regexps.push(element)
    } else if (element && !(element instanceof String)) {
      list.matchAll = true
    }
  }
  return list
}

// The origin option as cors classifies it (`OriginInput` in policy.rs);
// `list` carries the user's strings and RegExps in order for the request path.
function originOption (value) {
  if (!value) return { input: 'disabled', list: null }
  if (typeof value === 'function') return { input: 'dynamic', list: null }
  if (value === '*') return { input: 'any', list: null }
  if (typeof value === 'string') return { input: { fixed: { value } }, list: null }
  if (value instanceof String) return { input: { fixed: { value: String(value), object: true } }, list: null }
  if (Array.isArray(value) || value instanceof RegExp) {
    const list = flattenOrigins(Array.isArray(value) ? value : [value])
    return {
      input: { list: { items: list.items, matchAll: list.matchAll, ordered: list.ordered } },
      list
    }
  }
  return { input: { reflect: given(value) }, list: null }
}

// -- the whole input --------------------------------------------------------

// merged: options already under the defaults. perRequest: they came from a
// delegate, so what breaks cors on every preflight happens per preflight.
// read: the inputs of options already read through cors's conversions
// (lib/reading.js), by name, so that no user code runs twice.
function resolveOptions (merged, perRequest, read) {
  const inputOf = (name, convert, flag) => read !== undefined && read[name] ? read[name] : convert(merged[name], flag)
  const origin = originOption(merged.origin)
  const allowedName = merged.allowedHeaders ? 'allowedHeaders' : 'headers'
  // Options that are undefined are left out: Rust reads them as undefined.
  const input = {
    origin: origin.input,
    methods: inputOf('methods', headerOption, false),
    allowedHeaders: merged[allowedName] ? inputOf(allowedName, headerOption, true) : null,
    optionsSuccessStatus: inputOf('optionsSuccessStatus', statusOption)
  }
  if (merged.credentials !== undefined) input.credentials = given(merged.credentials)
  if (!merged.allowedHeaders && merged.headers) input.allowedHeadersAlias = true
  if (merged.exposedHeaders !== undefined) input.exposedHeaders = inputOf('exposedHeaders', headerOption, true)
  if (merged.maxAge !== undefined) input.maxAge = inputOf('maxAge', maxAgeOption)
  if (merged.preflightContinue !== undefined) input.preflightContinue = given(merged.preflightContinue)
  for (const name of OWN_OPTIONS) {
    if (merged[name] !== undefined) input[name] = given(merged[name])
  }
  if (perRequest) input.perRequest = true
  if (origin.list !== null && origin.list.notRegExps > 0) input.originNotRegexps = origin.list.notRegExps
  return { input, list: origin.list }
}

// rust-cors's own options (policy.rs validates them).
const OWN_OPTIONS = ['strict', 'strictPreflight', 'allowPrivateNetwork', 'cacheControl']

module.exports = {
  DEFAULTS,
  readOptions,
  mergeWithDefaults,
  resolveOptions,
  describeValue,
  isStatefulRegExp,
  copyRegExp,
  copyOriginValue,
  originOption,
  headerOption,
  maxAgeOption,
  statusOption,
  CycleError,
  isRealRegExp,
  regExpSource,
  regExpFlags
}

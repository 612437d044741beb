'use strict'

// Options → a compiled policy. JS resolves each option's *form* (functions,
// RegExp objects, String objects, array-likes) into plain data; Rust
// validates it, renders the header values, translates the RegExps and
// returns the diagnostics. The result is a plain object whose fields the
// per-request path in index.js reads directly.

const native = require('./native')

const K_ANY = 1
const K_FIXED = 2
const K_REFLECT = 3
const K_LIST = 4
const K_ORDERED = 5

const ANY_ORIGIN = Object.freeze({ kind: K_ANY, describe: "'*'" })
const REFLECT_ORIGIN = Object.freeze({ kind: K_REFLECT, describe: 'reflect' })

const MAX_NESTING = 64

function describeValue (v) {
  if (v === null) return 'null'
  if (v === undefined) return 'undefined'
  if (Array.isArray(v)) return 'an array'
  if (v instanceof RegExp) return `the RegExp ${String(v).slice(0, 60)}`
  switch (typeof v) {
    case 'string': return `the string ${JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v)}`
    case 'number': return `the number ${String(v)}`
    case 'boolean': return `the boolean ${v}`
    case 'function': return 'a function'
    case 'bigint': return `the bigint ${String(v)}`
    case 'symbol': return 'a symbol'
    default: return 'an object'
  }
}

function optionError (name, expected, value, fix) {
  const e = new TypeError(
    `rust-cors: option \`${name}\` must be ${expected}; got ${describeValue(value)}.` + (fix ? ' ' + fix : '')
  )
  e.code = 'RUST_CORS_INVALID_OPTION'
  return e
}

function isPattern (s) {
  return s !== '*' && s.indexOf('*') !== -1
}

// A RegExp whose test() result depends on state or on overridden methods
// must be called on the user's own object, in cors's order.
function isStateful (re) {
  return re.global || re.sticky || Object.getPrototypeOf(re) !== RegExp.prototype ||
    Object.getOwnPropertyNames(re).length !== 1
}

// A list-valued header option (methods, allowedHeaders, exposedHeaders),
// already known to be truthy. Arrays of strings are rendered in Rust; other
// array-likes are joined here with their own join(), as cors does.
function listOption (name, v) {
  if (typeof v === 'string') return { text: v }
  if (v instanceof String) return { text: String(v) }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      if (typeof v[i] !== 'string') return { text: v.join(',') }
    }
    return { list: v.slice() }
  }
  if (v !== null && typeof v === 'object' && typeof v.join === 'function') {
    const s = v.join(',')
    if (typeof s === 'string') return { text: s }
  }
  throw optionError(name, 'a string or an array of strings', v,
    name === 'methods' ? "e.g. methods: ['GET', 'POST']" : "e.g. ['Content-Type', 'Authorization']")
}

// Flatten a (nested) origin array into items for Rust, in order.
function flatten (value, flat, path) {
  if (Array.isArray(value)) {
    if (path.indexOf(value) !== -1 || path.length >= MAX_NESTING) {
      throw optionError('origin', 'a finite array of origins', value,
        'The array contains itself (or nests deeper than 64 levels); cors would overflow the stack on every request.')
    }
    path.push(value)
    for (let i = 0; i < value.length; i++) flatten(value[i], flat, path)
    path.pop()
  } else if (typeof value === 'string') {
    if (isPattern(value)) {
      flat.items.push({ kind: 2, value })
      flat.patterns.push(value)
    } else {
      flat.items.push({ kind: 0, value })
    }
  } else if (value instanceof String) {
    // cors compares with ===, which a String object never equals.
  } else if (value instanceof RegExp) {
    if (isStateful(value)) flat.ordered = true
    flat.items.push({ kind: 1, value: value.source, flags: value.flags })
    flat.regexps.push(value)
  } else if (value) {
    flat.matchAll = true
  }
}

function describeList (flat) {
  const n = flat.items.length
  return `allow-list of ${n} entr${n === 1 ? 'y' : 'ies'}`
}

function nativeError (err) {
  const e = new TypeError(String(err && err.message ? err.message : err))
  e.code = 'RUST_CORS_INVALID_OPTION'
  return e
}

function patternMatchers (flat) {
  const m = new Map()
  for (const p of flat.patterns) {
    if (m.has(p)) continue
    let r
    try {
      r = native.compileOrigin([{ kind: 2, value: p }], false)
    } catch (err) {
      throw nativeError(err)
    }
    m.set(p, r.matcher)
  }
  return m
}

// The runtime form of a list origin, from Rust's compiled result.
function listOrigin (value, flat, r) {
  if (flat.ordered) {
    return { kind: K_ORDERED, value, patterns: patternMatchers(flat), describe: describeList(flat) }
  }
  const js = new Set(r.jsRegexes)
  const translated = []
  const jsOnly = []
  flat.regexps.forEach((re, i) => (js.has(i) ? jsOnly : translated).push(re))
  const matcher = r.matcher || null
  return {
    kind: K_LIST,
    exact: new Set(r.exact),
    matchAll: r.matchAll,
    matcher,
    regexps: flat.regexps,
    translated,
    jsOnly,
    slow: matcher !== null || jsOnly.length > 0,
    cache: new Map(),
    describe: describeList(flat)
  }
}

function flattenOrigin (value) {
  const flat = { items: [], regexps: [], patterns: [], ordered: false, matchAll: false }
  flatten(value, flat, [])
  return flat
}

// The rule a non-function origin value stands for, as cors decides it:
// '*', a fixed string, reflect, or a list (a RegExp, an array or a pattern).
function classifyOrigin (value) {
  if (typeof value === 'string') {
    if (value === '*') return { kind: 'any' }
    if (!isPattern(value)) return { kind: 'fixed', fixed: value }
    return { kind: 'list', flat: flattenOrigin([value]) }
  }
  if (value instanceof String) return { kind: 'fixed', fixed: String(value) }
  if (Array.isArray(value) || value instanceof RegExp) return { kind: 'list', flat: flattenOrigin(value) }
  return { kind: 'reflect' }
}

// The runtime form the per-request path reads; `compiled` is Rust's result
// for a list (null for a stateful one, which runs in JS).
function runtimeOrigin (value, c, compiled) {
  switch (c.kind) {
    case 'any': return ANY_ORIGIN
    case 'fixed': return { kind: K_FIXED, value: c.fixed, describe: 'fixed' }
    case 'reflect': return REFLECT_ORIGIN
    default: return listOrigin(value, c.flat, compiled)
  }
}

// Compile an origin value returned by an origin callback: any origin form
// (a function returned there means reflect, as in cors).
function compileOrigin (value) {
  const c = classifyOrigin(value)
  let r = null
  if (c.kind === 'list' && !c.flat.ordered) {
    try {
      r = native.compileOrigin(c.flat.items, c.flat.matchAll)
    } catch (err) {
      throw nativeError(err)
    }
  }
  return runtimeOrigin(value, c, r)
}

// cors's array/RegExp test, on the user's own objects and in their order
// (used only when a stateful RegExp makes the order observable).
function orderedAllows (origin, allowed, patterns) {
  if (Array.isArray(allowed)) {
    for (let i = 0; i < allowed.length; i++) {
      if (orderedAllows(origin, allowed[i], patterns)) return true
    }
    return false
  }
  if (typeof allowed === 'string') {
    const m = patterns && patterns.get(allowed)
    if (m !== undefined && typeof origin === 'string') return native.matchOrigin(m, origin) === 1
    return origin === allowed
  }
  if (allowed instanceof String) return origin === allowed
  if (allowed instanceof RegExp) return allowed.test(origin)
  return !!allowed
}

// -- cache keys -----------------------------------------------------------

function originKey (v, depth) {
  if (typeof v === 'string') return 's' + v.length + ':' + v
  if (typeof v === 'function') return 'f'
  if (v instanceof RegExp) return isStateful(v) ? null : 'r' + v.flags + '/' + v.source.length + ':' + v.source
  if (Array.isArray(v)) {
    if ((depth | 0) > MAX_NESTING) return null
    let k = '['
    for (let i = 0; i < v.length; i++) {
      const s = originKey(v[i], (depth | 0) + 1)
      if (s === null) return null
      k += s + ','
    }
    return k + ']'
  }
  if (v instanceof String) return 'S' + String(v)
  return v ? 't' : 'n'
}

function valueKey (v) {
  switch (typeof v) {
    case 'string': return 's' + v.length + ':' + v
    case 'number': return 'n' + String(v)
    case 'boolean': return v ? 'T' : 'F'
    case 'undefined': return 'u'
    case 'object':
      if (v === null) return 'N'
      if (Array.isArray(v)) {
        let k = '['
        for (let i = 0; i < v.length; i++) {
          if (typeof v[i] !== 'string') return null
          k += 's' + v[i].length + ':' + v[i] + ','
        }
        return k + ']'
      }
      return null
    default: return null
  }
}

const KEYED_OPTIONS = [
  'credentials', 'methods', 'allowedHeaders', 'headers', 'exposedHeaders', 'maxAge',
  'preflightContinue', 'optionsSuccessStatus', 'strict', 'strictPreflight',
  'allowPrivateNetwork', 'cacheControl'
]

// A structural key for merged options, so a delegate that returns a fresh
// but equal object per request reuses the compiled policy. null: don't cache.
function policyKey (merged) {
  let k = originKey(merged.origin)
  if (k === null) return null
  for (const name of KEYED_OPTIONS) {
    const v = valueKey(merged[name])
    if (v === null) return null
    k += '|' + v
  }
  return k
}

// -- the options compiler -------------------------------------------------

function cacheControlValue (v) {
  if (v === undefined || v === null || v === false) return undefined
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 0) return 'max-age=' + v
    throw optionError('cacheControl', 'a whole number of seconds or a Cache-Control string', v, 'e.g. cacheControl: 600')
  }
  if (typeof v === 'string' && v.length > 0 && /^[\t\x20-\x7e]+$/.test(v)) return v
  throw optionError('cacheControl', 'a whole number of seconds or a Cache-Control string', v, "e.g. cacheControl: 600 or 'public, max-age=600'")
}

// Headers added to preflights by the peers' options, written after cors's own.
function preflightExtras (privateNetwork, cacheControl) {
  if (!privateNetwork && cacheControl === undefined) return null
  return function (req, res) {
    if (privateNetwork && req.headers['access-control-request-private-network'] === 'true') {
      res.setHeader('Access-Control-Allow-Private-Network', 'true')
    }
    if (cacheControl !== undefined) res.setHeader('Cache-Control', cacheControl)
  }
}

function normalize (o) {
  const p = {
    disabled: false,
    origin: null,
    originFn: null,
    credentials: false,
    methods: undefined,
    reflectHeaders: false,
    allowedHeaders: undefined,
    maxAge: undefined,
    exposedHeaders: undefined,
    preflightContinue: false,
    status: 204,
    strictPreflight: false,
    extra: null,
    diagnostics: []
  }
  const ov = o.origin
  if (!ov) {
    p.disabled = true
    return p
  }

  // credentials: cors sends the header only for the boolean true.
  const cred = o.credentials
  if (cred !== undefined && cred !== null && typeof cred !== 'boolean') {
    throw optionError('credentials', 'a boolean', cred, 'Use credentials: true to send Access-Control-Allow-Credentials.')
  }
  p.credentials = cred === true

  // methods: cors throws on every preflight when it is null/undefined.
  const m = o.methods
  if (m === undefined || m === null) {
    throw optionError('methods', 'a string or an array of method names', m,
      "Leave it out to get the default 'GET,HEAD,PUT,PATCH,POST,DELETE' (cors would throw on every preflight).")
  }
  const methods = m ? listOption('methods', m) : {}

  // allowedHeaders, or its alias headers; falsy: reflect the request's.
  const ah = o.allowedHeaders || o.headers
  const allowedHeaders = ah ? listOption(o.allowedHeaders ? 'allowedHeaders' : 'headers', ah) : undefined

  const eh = o.exposedHeaders
  const exposedHeaders = eh ? listOption('exposedHeaders', eh) : {}

  const ma = o.maxAge
  let maxAgeText
  let maxAgeNumber
  if (typeof ma === 'number') {
    maxAgeText = String(ma)
    maxAgeNumber = ma
  } else if (typeof ma === 'string' || ma instanceof String) {
    maxAgeText = String(ma)
  } else if (ma) {
    throw optionError('maxAge', 'a number of seconds', ma, 'e.g. maxAge: 600')
  }

  p.preflightContinue = !!o.preflightContinue
  const st = o.optionsSuccessStatus
  if (!p.preflightContinue && !(Number.isInteger(st) && st >= 100 && st <= 999)) {
    throw optionError('optionsSuccessStatus', 'an HTTP status code (an integer from 100 to 999)', st,
      'Leave it out for 204, or use 200 for legacy browsers.')
  }
  p.status = st

  // Options from the peers (all off by default).
  for (const name of ['strict', 'strictPreflight', 'allowPrivateNetwork']) {
    const v = o[name]
    if (v !== undefined && v !== null && typeof v !== 'boolean') {
      throw optionError(name, 'a boolean', v, `Use ${name}: true to turn it on.`)
    }
  }
  p.strictPreflight = o.strictPreflight === true
  p.extra = preflightExtras(o.allowPrivateNetwork === true, cacheControlValue(o.cacheControl))

  const input = {
    originKind: 'list',
    fixed: undefined,
    items: undefined,
    matchAll: false,
    credentials: p.credentials,
    methods,
    allowedHeaders,
    exposedHeaders,
    maxAgeText,
    maxAgeNumber
  }
  let c = null
  if (typeof ov === 'function') {
    p.originFn = ov
    input.originKind = 'dynamic'
  } else {
    c = classifyOrigin(ov)
    input.originKind = c.kind
    input.fixed = c.fixed
    if (c.flat) {
      input.items = c.flat.items
      input.matchAll = c.flat.matchAll
    }
  }

  const r = native.compilePolicy(input)
  if (r.error) {
    const e = new TypeError(r.error.message)
    e.code = r.error.code
    throw e
  }
  p.diagnostics = r.diagnostics
  p.methods = r.methods || undefined
  p.reflectHeaders = r.reflectHeaders
  p.allowedHeaders = r.allowedHeaders || undefined
  p.exposedHeaders = r.exposedHeaders || undefined
  p.maxAge = r.maxAge || undefined

  if (c !== null) p.origin = runtimeOrigin(ov, c, r.origin)
  return p
}

module.exports = {
  normalize,
  compileOrigin,
  originKey,
  policyKey,
  orderedAllows,
  describeValue,
  K_ANY,
  K_FIXED,
  K_REFLECT,
  K_LIST
}

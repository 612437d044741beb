'use strict'

// @fastify/cors's option vocabulary -> the one policy input (lib/policy.js,
// compiled in Rust). @fastify/cors 11.4 differs from cors in what its values
// mean, and those differences are settled here, once per options object:
// its defaults (methods GET,HEAD,POST, strictPreflight on), arrays joined
// with ', ', a '*' anywhere in a top-level origin array meaning '*', RegExps
// tested from lastIndex 0, String objects and other truthy values reflecting,
// any truthy `credentials`, `preflight` only when exactly true, a falsy
// origin other than false failing each request, values written as
// `reply.header` writes them (undefined as ''), and when Vary names Origin.
// lib/fastify.js then only writes what the resulting view says.

const { readOptions } = require('./options')
const { policyFor, compileOriginValue } = require('./policy')
const { LIST } = require('./compiled')

const DEFAULTS = Object.freeze({
  origin: '*',
  methods: 'GET,HEAD,POST',
  hook: 'onRequest',
  preflightContinue: false,
  optionsSuccessStatus: 204,
  credentials: false,
  exposedHeaders: null,
  allowedHeaders: null,
  maxAge: null,
  preflight: true,
  strictPreflight: true
})

const HOOKS = ['onRequest', 'preParsing', 'preValidation', 'preHandler', 'preSerialization']
const HOOKS_WITH_PAYLOAD = ['preSerialization', 'preParsing']

// @fastify/cors's normalizeCorsOptions: the defaults under the options, a
// '*' in a top-level origin array made '*', an integer cacheControl made
// `max-age=N`, any other non-string dropped. `options` must be an object
// (reading `origin` of undefined throws the TypeError @fastify/cors throws).
function normalize (options, dynamic) {
  const origin = options.origin
  const merged = { ...DEFAULTS, ...options }
  if (Array.isArray(origin) && origin.indexOf('*') !== -1) merged.origin = '*'
  if (Number.isInteger(merged.cacheControl)) merged.cacheControl = `max-age=${merged.cacheControl}`
  else if (typeof merged.cacheControl !== 'string') merged.cacheControl = null
  merged.dynamic = dynamic || false
  return merged
}

// What `reply.header(name, value)` writes for a list option.
function headerText (value) {
  if (value === undefined) return ''
  return String(Array.isArray(value) ? value.join(', ') : value)
}

// A RegExp as @fastify/cors tests it: from lastIndex 0 every time, so a
// global one answers like a plain one and a sticky one like one anchored at
// the start.
function statelessCopy (re) {
  if (!re.global && !re.sticky) return re
  const flags = re.flags.replace(/[gy]/g, '')
  return re.sticky ? new RegExp(`^(?:${re.source})`, flags) : new RegExp(re.source, flags)
}

// An origin array's elements as @fastify/cors's isRequestOriginAllowed reads
// them (a String object is truthy, so it allows any origin).
function listElements (array) {
  return array.map((element) => {
    if (Array.isArray(element)) return listElements(element)
    if (element instanceof RegExp) return statelessCopy(element)
    if (element instanceof String) return true
    return element
  })
}

// An origin value (the option, or what an origin function resolved to) in
// cors's vocabulary; `false` disables, another falsy value is invalid.
function originValue (value) {
  if (Array.isArray(value)) return value.indexOf('*') !== -1 ? '*' : listElements(value)
  if (value instanceof RegExp) return statelessCopy(value)
  if (value instanceof String) return true
  return value
}

// The rule for a value an origin function resolved to, or an Error for a
// falsy one (false is handled before). sink: as for viewFor.
function resolvedOrigin (value, sink) {
  if (!value) return new Error('Invalid CORS origin option')
  return compileOriginValue(originValue(value), sink)
}

// The policy input (the cors vocabulary Rust reads), plus the @fastify/cors
// facts the view needs (fastify*: viewFor keeps one view per distinct set).
function policyInput (options) {
  const origin = options.origin
  const input = {
    origin: typeof origin === 'function' ? origin : (origin ? originValue(origin) : false),
    methods: headerText(options.methods),
    credentials: !!options.credentials,
    preflightContinue: !!options.preflightContinue,
    strictPreflight: options.strictPreflight === true,
    fastifyOrigin: origin === false ? 'disabled' : (origin ? 'valid' : 'invalid'),
    fastifyVary: (typeof origin !== 'string' && origin !== false) || !!options.dynamic,
    fastifyPreflight: options.preflight === true,
    fastifyStatus: options.optionsSuccessStatus,
    fastifyAllowedHeaders: options.allowedHeaders === null ? null : headerText(options.allowedHeaders),
    fastifyExposedHeaders: options.exposedHeaders === null ? null : headerText(options.exposedHeaders)
  }
  if (input.fastifyAllowedHeaders) input.allowedHeaders = input.fastifyAllowedHeaders
  if (input.fastifyExposedHeaders) input.exposedHeaders = input.fastifyExposedHeaders
  const maxAge = options.maxAge
  if (maxAge !== null) input.maxAge = typeof maxAge === 'number' ? maxAge : String(maxAge)
  if (options.cacheControl) input.cacheControl = String(options.cacheControl)
  if (options.strict !== undefined) input.strict = options.strict
  if (options.allowPrivateNetwork !== undefined) input.allowPrivateNetwork = options.allowPrivateNetwork
  return input
}

// What lib/fastify.js writes for one set of normalized options.
function viewOf (policy, input) {
  const rule = policy.origin
  return {
    policy,
    disabled: input.fastifyOrigin === 'disabled',
    invalidOrigin: input.fastifyOrigin === 'invalid',
    originFunction: typeof input.origin === 'function' ? input.origin : null,
    origin: rule,
    varyOrigin: input.fastifyVary || (rule !== null && rule.kind === LIST),
    credentials: policy.credentials,
    // @fastify/cors writes these whenever they are not null, even empty.
    exposedHeaders: input.fastifyExposedHeaders === null ? null : (policy.exposedHeaders || ''),
    methods: policy.methods || '',
    reflectHeaders: input.fastifyAllowedHeaders === null,
    allowedHeaders: input.fastifyAllowedHeaders === null ? null : (policy.allowedHeaders || ''),
    maxAge: input.maxAge === undefined ? null : (policy.maxAge || ''),
    cacheControl: policy.cacheControl || null,
    allowPrivateNetwork: policy.allowPrivateNetwork,
    preflight: input.fastifyPreflight,
    strictPreflight: policy.strictPreflight,
    preflightContinue: policy.preflightContinue,
    status: input.fastifyStatus
  }
}

// The view for normalized options (the plugin's, or a delegate's, with a
// route's `config.cors` spread over them). Compiled options are found again
// by value in the process-wide cache; `last` is the previous view of the same
// hook, checked first. sink: null to warn, or explain()'s array of findings
// (its policies are compiled apart, on copies).
function viewFor (options, last, sink) {
  const input = policyInput(options)
  const policy = policyFor(input, readOptions(input), !!options.dynamic, sink, last ? last.policy : null)
  // The policy is found again by what cors reads; the @fastify/cors facts
  // beside it (input.fastify*) pick one of its views.
  const views = policy.fastifyViews || (policy.fastifyViews = [])
  for (let i = 0; i < views.length; i++) {
    if (sameFacts(views[i].input, input)) return views[i].view
  }
  const view = viewOf(policy, input)
  if (views.length >= MAX_VIEWS) views.shift()
  views.push({ input, view })
  return view
}

const MAX_VIEWS = 8

// Do two inputs of one policy give the same view (viewOf reads these)?
function sameFacts (a, b) {
  return a.fastifyOrigin === b.fastifyOrigin &&
    a.fastifyVary === b.fastifyVary &&
    a.fastifyPreflight === b.fastifyPreflight &&
    Object.is(a.fastifyStatus, b.fastifyStatus) &&
    (a.fastifyAllowedHeaders === null) === (b.fastifyAllowedHeaders === null) &&
    (a.fastifyExposedHeaders === null) === (b.fastifyExposedHeaders === null) &&
    (a.maxAge === undefined) === (b.maxAge === undefined) &&
    (typeof a.origin === 'function' ? a.origin === b.origin : typeof b.origin !== 'function')
}

module.exports = { DEFAULTS, HOOKS, HOOKS_WITH_PAYLOAD, normalize, viewFor, resolvedOrigin }

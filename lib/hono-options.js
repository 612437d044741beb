'use strict'

// hono/cors (hono 4)'s option vocabulary -> the one policy input (the
// options lib/policy.js compiles through Rust), plus what only the Hono
// request path reads. Hono's semantics, as policy input:
// - origin '*' allows any origin; any other string, or an array, allows the
//   request origins equal to one of its strings (an allow-list: nothing is
//   sent for others), a function decides per request;
// - allowMethods defaults to GET,HEAD,PUT,POST,DELETE,PATCH,QUERY; a value
//   that is neither an array nor a function sends no Allow-Methods;
// - allowHeaders and exposeHeaders are sent when they have a length; empty
//   allowHeaders reflect Access-Control-Request-Headers;
// - maxAge is sent whenever it is not null or undefined, as its text;
// - credentials: any truthy value sends Allow-Credentials on every response.
// rust-cors's additions: origin patterns ('https://*.example.com') in the
// string or the array, and `strict` (warnings become errors).

const { describeValue } = require('./options')
const { warnOnce } = require('./warnings')

const HONO_DEFAULT_METHODS = Object.freeze(['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH', 'QUERY'])

// Hono's reading of a list option: `value?.length ? value.join(',') : undefined`
// (a string has a length but no join: Hono throws that TypeError here too).
// The policy input keeps a string array (Rust checks its names), other
// values as the text Hono sends.
function listOption (value) {
  const text = value?.length ? value.join(',') : undefined
  if (text === undefined) return undefined
  return Array.isArray(value) && value.every((name) => typeof name === 'string') ? value : String(text)
}

function maxAgeOption (value) {
  if (value == null) return undefined
  return typeof value === 'number' ? value : String(value.toString())
}

// The origins an array allows: Hono compares request origins (strings) with
// `includes`, so only its string elements can match.
function originOption (value) {
  if (value === '*' || typeof value === 'function') return value
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.filter((item) => typeof item === 'string')
  return null
}

// Any other origin value: Hono calls its `includes` on every request (a
// TypeError for undefined, null, booleans and numbers). The same call runs
// here, as an origin function, after a warning (an error with `strict`).
function sloppyOrigin (value, strict) {
  const message = `rust-cors: option \`origin\` is ${describeValue(value)}; hono/cors calls \`origin.includes(requestOrigin)\` on every request with it, which fails unless it has an includes method.`
  const fix = "Use '*', a string, an array of origins or a function."
  if (strict === true) {
    const error = new TypeError(message + ' ' + fix)
    error.code = 'RUST_CORS_INVALID_OPTION'
    throw error
  }
  warnOnce('RUST_CORS_INVALID_OPTION', message + ' ' + fix)
  return (origin) => (value.includes(origin) ? origin : null)
}

function methodsOption (value) {
  if (typeof value === 'function') return ''
  return Array.isArray(value) ? value : ''
}

// options: what the user passed to cors(options). Returns the policy options
// (cors vocabulary, for policyFor) and the Hono-only settings.
function fromHono (options) {
  const merged = { origin: '*', allowMethods: HONO_DEFAULT_METHODS, allowHeaders: [], exposeHeaders: [], ...options }
  let origin = originOption(merged.origin)
  if (origin === null) origin = sloppyOrigin(merged.origin, merged.strict)
  const policyOptions = {
    origin,
    credentials: !!merged.credentials,
    methods: methodsOption(merged.allowMethods),
    allowedHeaders: listOption(merged.allowHeaders),
    exposedHeaders: listOption(merged.exposeHeaders),
    maxAge: maxAgeOption(merged.maxAge)
  }
  if (merged.strict !== undefined) policyOptions.strict = merged.strict
  return {
    policyOptions,
    originFunction: typeof origin === 'function' ? origin : null,
    methodsFunction: typeof merged.allowMethods === 'function' ? merged.allowMethods : null,
    // Hono sends `Vary: Origin` unless the origin option is exactly '*'.
    varyOrigin: merged.origin !== '*'
  }
}

// Hono's reflection of Access-Control-Request-Headers: each name trimmed.
function reflectedHeaders (requestHeaders) {
  return requestHeaders ? requestHeaders.split(',').map((name) => name.trim()).join(',') : undefined
}

module.exports = { fromHono, reflectedHeaders, HONO_DEFAULT_METHODS }

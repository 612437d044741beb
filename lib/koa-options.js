'use strict'

// @koa/cors 5's option vocabulary -> the one policy input (the options
// lib/policy.js compiles through Rust), plus what only the Koa request path
// reads. Koa's defaults and semantics are expressed here, as policy input:
// - allowMethods defaults to 'GET,HEAD,PUT,POST,DELETE,PATCH'; a falsy value
//   (after joining an array) sends no Allow-Methods;
// - origin is sent as given (any truthy value, as its text), '*' by default;
//   with static `credentials`, '*' reflects the request's Origin: the policy's
//   REFLECT rule;
// - allowHeaders that join to nothing reflect Access-Control-Request-Headers;
// - maxAge is sent when truthy, as its text.
// rust-cors's additions: an origin pattern ('https://*.example.com') allows
// the origins it matches, and `strict` turns warnings into errors.

const KOA_DEFAULT_METHODS = 'GET,HEAD,PUT,POST,DELETE,PATCH'

// Koa joins arrays with ','; the policy input keeps arrays (cors joins them
// the same way, and Rust checks their names) and other truthy values as the
// text Koa's ctx.set sends.
function listOption (value) {
  const sent = Array.isArray(value) ? value.join(',') : value
  if (!sent) return undefined
  if (Array.isArray(value) || typeof value === 'string' || value instanceof String) return value
  return String(sent)
}

// @koa/cors documents maxAge as a String or a Number: a string of digits is
// the number it writes (no warning), other text is checked as text.
function maxAgeOption (value) {
  if (!value) return undefined
  if (typeof value === 'number') return value
  const text = String(value)
  return String(Number(text)) === text ? Number(text) : text
}

// The origin option when it is not a function: Koa sends `origin || '*'`.
function staticOrigin (value, credentials) {
  const origin = value || '*'
  if (origin === '*') return credentials ? true : '*'
  if (typeof origin === 'string') return origin
  // Any other truthy value is sent as its text, never read as an origin form.
  return new String(String(origin)) // eslint-disable-line no-new-wrappers
}

// options: what the user passed to cors(options). Returns the policy options
// (cors vocabulary, for policyFor) and the Koa-only settings.
function fromKoa (options) {
  const merged = { allowMethods: KOA_DEFAULT_METHODS, secureContext: false, ...options }
  const originFunction = typeof merged.origin === 'function' ? merged.origin : null
  const credentialsFunction = typeof merged.credentials === 'function' ? merged.credentials : null
  const credentials = credentialsFunction === null && !!merged.credentials
  const policyOptions = {
    origin: originFunction !== null ? originFunction : staticOrigin(merged.origin, credentials),
    credentials,
    methods: listOption(merged.allowMethods) || '',
    allowedHeaders: listOption(merged.allowHeaders),
    exposedHeaders: listOption(merged.exposeHeaders),
    maxAge: maxAgeOption(merged.maxAge),
    allowPrivateNetwork: !!merged.privateNetworkAccess
  }
  if (merged.strict !== undefined) policyOptions.strict = merged.strict
  return {
    policyOptions,
    originFunction,
    credentialsFunction,
    keepHeadersOnError: merged.keepHeadersOnError === undefined || !!merged.keepHeadersOnError,
    secureContext: !!merged.secureContext
  }
}

// The Allow-Origin value for an origin a Koa origin function returned (sent
// as is) under this request's credentials: '*' with credentials reflects the
// request's Origin, as the static REFLECT rule does.
function koaOriginValue (origin, credentials, requestOrigin) {
  return credentials && origin === '*' ? requestOrigin : origin
}

module.exports = { fromKoa, koaOriginValue, KOA_DEFAULT_METHODS }

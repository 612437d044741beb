'use strict'

// rustCors.toNginx(options, { prefix }): the same policy as nginx
// configuration. JS resolves the options exactly as the middleware does
// (exportInput); Rust (src/export/nginx.rs) writes the configuration.

const native = require('./native')
const { normalize, K_ANY, K_FIXED, K_REFLECT, K_LIST } = require('./compile')

// The middleware's defaults (index.js DEFAULTS), for options given without them.
const DEFAULTS = Object.freeze({
  origin: '*',
  methods: 'GET,HEAD,PUT,PATCH,POST,DELETE',
  preflightContinue: false,
  optionsSuccessStatus: 204
})

function notExportable (option, reason) {
  const e = new TypeError(`rust-cors: cannot export to nginx: option \`${option}\`: ${reason}`)
  e.code = 'RUST_CORS_NOT_EXPORTABLE'
  e.option = option
  return e
}

// The origin allow-list's elements, flattened in order as cors tests them.
function originItems (value, items) {
  if (Array.isArray(value)) {
    for (const element of value) originItems(element, items)
  } else if (typeof value === 'string') {
    if (value !== '*' && value.includes('*')) items.patterns.push(value)
    else items.exact.push(value)
  } else if (value instanceof RegExp) {
    items.regexes.push({ source: value.source, flags: value.flags })
  } else if (value && !(value instanceof String)) {
    // A String object never equals an origin in cors; any other truthy value allows all.
    items.matchAll = true
  }
  return items
}

// Options → the plain input of the Rust exporter, resolved by the
// middleware's own compiler (same validation, same rendered header values).
function exportInput (options) {
  if (typeof options === 'function') {
    throw notExportable('options', 'an options delegate decides per request in JavaScript; export the options object it returns instead')
  }
  const merged = Object.assign({}, DEFAULTS, options)
  const policy = normalize(merged)
  const input = {
    originKind: 'disabled',
    credentials: policy.credentials,
    methods: policy.methods,
    reflectHeaders: policy.reflectHeaders,
    allowedHeaders: policy.allowedHeaders,
    exposedHeaders: policy.exposedHeaders,
    maxAge: policy.maxAge,
    status: policy.status,
    privateNetwork: merged.allowPrivateNetwork === true,
    cacheControl: typeof merged.cacheControl === 'number' ? 'max-age=' + merged.cacheControl : merged.cacheControl || undefined
  }
  if (policy.disabled) return input
  if (policy.originFn !== null) {
    throw notExportable('origin', 'a function decides per request in JavaScript; nginx can only express fixed rules')
  }
  if (policy.preflightContinue) {
    throw notExportable('preflightContinue', 'it hands preflights on to the application, but nginx answers them itself; drop it, or keep CORS for preflights in the application only')
  }
  if (policy.strictPreflight) {
    throw notExportable('strictPreflight', "nginx's return 400 sends an error page of its own, not the middleware's empty answer")
  }
  const origin = policy.origin
  switch (origin.kind) {
    case K_ANY: input.originKind = 'any'; break
    case K_FIXED: input.originKind = 'fixed'; input.fixed = origin.value; break
    case K_REFLECT: input.originKind = 'reflect'; break
    case K_LIST:
      Object.assign(input, { originKind: 'list' },
        originItems(merged.origin, { exact: [], patterns: [], regexes: [], matchAll: false }))
      break
    default:
      throw notExportable('origin', 'a RegExp with the g or y flag (or a RegExp subclass) changes its answer between requests; nginx cannot')
  }
  return input
}

function toNginx (options, settings) {
  const prefix = settings && settings.prefix !== undefined ? settings.prefix : 'cors'
  if (typeof prefix !== 'string') throw notExportable('prefix', 'must be a string such as "api"')
  const input = exportInput(options)
  const result = native.exportNginx(input, prefix)
  if (result.errorOption) throw notExportable(result.errorOption, result.errorReason)
  return { http: result.http, location: result.location }
}

module.exports = { toNginx }

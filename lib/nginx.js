'use strict'

// rustCors.toNginx(options, { prefix }): the same policy as nginx
// configuration. JS resolves the options exactly as the middleware does
// (exportInput); Rust (src/export/nginx.rs) writes the configuration.

const native = require('./native')
const { mergeWithDefaults } = require('./options')
const { compileMerged, ANY, FIXED, REFLECT, LIST } = require('./policy')

function notExportable (option, reason) {
  const e = new TypeError(`rust-cors: cannot export to nginx: option \`${option}\`: ${reason}`)
  e.code = 'RUST_CORS_NOT_EXPORTABLE'
  e.option = option
  return e
}

// Options → the plain input of the Rust exporter, from the middleware's own
// compiled policy (same validation, same rendered header values).
function exportInput (options) {
  if (typeof options === 'function') {
    throw notExportable('options', 'an options delegate decides per request in JavaScript; export the options object it returns instead')
  }
  const merged = mergeWithDefaults(options)
  const policy = compileMerged(merged, false, null)
  const input = {
    originKind: 'disabled',
    credentials: policy.credentials,
    methods: policy.methods,
    reflectHeaders: policy.reflectHeaders,
    allowedHeaders: policy.allowedHeaders,
    exposedHeaders: policy.exposedHeaders,
    maxAge: policy.maxAge,
    status: policy.status | 0, // what Node writes for it
    privateNetwork: policy.allowPrivateNetwork,
    cacheControl: policy.cacheControl
  }
  if (policy.disabled) return input
  if (policy.dynamic) {
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
    case ANY: input.originKind = 'any'; break
    case FIXED: input.originKind = 'fixed'; input.fixed = String(origin.value); break
    case REFLECT: input.originKind = 'reflect'; break
    case LIST:
      Object.assign(input, {
        originKind: 'list',
        exact: [...origin.exact],
        patterns: origin.patterns,
        regexes: origin.regexps.map((re) => ({ source: re.source, flags: re.flags })),
        matchAll: origin.matchAll
      })
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

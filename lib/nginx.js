'use strict'

// rustCors.toNginx(options, { prefix }): the same policy as nginx
// configuration. JS resolves the options exactly as the middleware does
// (exportInput); Rust (src/export/nginx.rs) writes the configuration.

const native = require('./native')
const { readOptions, mergeWithDefaults, resolveOptions } = require('./options')
const { policyFor } = require('./policy')
const { inputJson, callerRealmError } = require('./compiled')

function notExportable (option, reason) {
  const e = new TypeError(`rust-cors: cannot export to nginx: option \`${option}\`: ${reason}`)
  e.code = 'RUST_CORS_NOT_EXPORTABLE'
  e.option = option
  return e
}

// Rust compiles the same policy as the middleware and renders it; its
// TypeError is made again in the caller's realm (lib/policy.js), with the
// option it names.
function toNginx (options, settings) {
  const prefix = settings && settings.prefix !== undefined ? settings.prefix : 'cors'
  if (typeof prefix !== 'string') throw notExportable('prefix', 'must be a string such as "api"')
  if (typeof options === 'function') {
    throw notExportable('options', 'an options delegate decides per request in JavaScript; export the options object it returns instead')
  }
  const read = readOptions(options)
  // The warnings rustCors(options) gives for the same options, through the
  // same compile and warning path (lib/warnings.js, once per process);
  // `strict: true` throws as it does there.
  policyFor(options, read, false, null)
  const { input } = resolveOptions(mergeWithDefaults(read), false)
  let result
  try {
    result = native.exportNginx(inputJson(input), prefix)
  } catch (err) {
    const error = callerRealmError(err)
    const named = /option `([^`]+)`/.exec(err.message)
    if (named) error.option = named[1]
    throw error
  }
  return { http: result.http, location: result.location }
}

module.exports = { toNginx }

'use strict'

// What every `rust-cors` command shares about its command line: the one
// UsageError (exit 2, the problem in one line and a short usage), the walk
// over the arguments, and the parsers of the values a browser request is made
// of (a URL, an origin, a header).

// The package's version: --version, and check's User-Agent.
const VERSION = (() => {
  try { return require('../../package.json').version } catch { return '0' }
})()

// A problem with the command line or with a file it names (exit 2).
class UsageError extends Error {}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

// Walks argv in order: options (`--name value`, `--name=value`, `-x value`),
// `--` (everything after it is positional) and positional arguments.
// onOption(name, value, flag) handles one option: value() takes its value,
// flag() checks it was given none; it returns false for an option it does not
// know, or 'stop' to end the walk (--help).
function walkArgs (argv, onOption, onPositional) {
  const args = argv.slice()
  while (args.length) {
    let arg = args.shift()
    if (arg === '--') {
      args.splice(0).forEach(onPositional)
      return
    }
    if (!arg.startsWith('-') || arg === '-') {
      onPositional(arg)
      continue
    }
    let inline = null
    if (arg.startsWith('--') && arg.includes('=')) {
      inline = arg.slice(arg.indexOf('=') + 1)
      arg = arg.slice(0, arg.indexOf('='))
    }
    const value = () => {
      if (inline !== null) return inline
      if (!args.length) throw new UsageError(`${arg} needs a value`)
      return args.shift()
    }
    const flag = () => {
      if (inline !== null) throw new UsageError(`${arg} takes no value`)
    }
    const handled = onOption(arg, value, flag)
    if (handled === false) throw new UsageError(`unknown option ${arg}`)
    if (handled === 'stop') return
  }
}

// Values used for headers given by name only: what a page typically sends.
const PLACEHOLDERS = {
  'content-type': 'application/json',
  authorization: 'Bearer placeholder-token',
  accept: 'application/json',
  'accept-language': 'en-US',
  'content-language': 'en-US',
  range: 'bytes=0-'
}

function placeholderValue (name) {
  return PLACEHOLDERS[name.toLowerCase()] || 'placeholder'
}

// 'Name' or 'Name: value' -> [name, value].
function parseHeader (arg) {
  const colon = arg.indexOf(':')
  const name = (colon === -1 ? arg : arg.slice(0, colon)).trim()
  if (!TOKEN.test(name)) {
    throw new UsageError(`--header ${JSON.stringify(arg)}: ${JSON.stringify(name)} is not a header name (expected 'Name' or 'Name: value')`)
  }
  if (name.toLowerCase() === 'origin') {
    throw new UsageError('--header Origin: the browser sets Origin itself; use --origin <origin>')
  }
  if (colon === -1) return [name, placeholderValue(name)]
  const value = arg.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '')
  if (/[\r\n\0]/.test(value)) throw new UsageError(`--header ${name}: the value must not contain CR, LF or NUL`)
  return [name, value]
}

function parseUrl (arg) {
  let u
  try {
    u = new URL(arg)
  } catch {
    throw new UsageError(`${JSON.stringify(arg)} is not a URL (expected e.g. http://127.0.0.1:3000/data)`)
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new UsageError(`${JSON.stringify(arg)}: only http: and https: URLs can be checked`)
  }
  if (u.username || u.password) {
    // fetch() rejects such URLs before sending anything.
    throw new UsageError(`${JSON.stringify(arg)}: a URL with credentials (user:password@) is rejected by fetch(); remove them`)
  }
  u.hash = ''
  return u
}

// How a browser writes an origin is Rust's rule (src/fetch/serialize.rs),
// the one the policy's RUST_CORS_ORIGIN_NEVER_MATCHES uses too.
function parseOrigin (arg) {
  let native
  try {
    native = require('../native')
  } catch (e) {
    throw new UsageError(e.message)
  }
  const miss = native.checkOriginText(arg)
  if (miss === null) return arg
  const how = `--origin ${JSON.stringify(arg)} is not how a browser writes an origin (scheme://host[:port], lower-case, no default port, no path or trailing slash): it ${miss.reason}`
  throw new UsageError(miss.serialized ? `${how}; did you mean ${miss.serialized}?` : how)
}

module.exports = { VERSION, UsageError, TOKEN, walkArgs, parseHeader, parseUrl, parseOrigin }

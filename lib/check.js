'use strict'

// `rust-cors check <url> --origin <origin> ...`: make the requests a browser
// would make for a cross-origin fetch() (the preflight, then the actual
// request) against a live server, and judge the responses with the browser's
// rules. The rules themselves (when to preflight, the CORS check, the
// preflight checks) live in Rust (src/fetch.rs) and are reached through
// lib/native.js; this file only does the HTTP, the arguments and the output.
//
// main(argv, io) is the whole command and returns the exit status:
//   0 the browser would allow the request (warnings allowed)
//   1 the browser would block it
//   2 usage error, or the server could not be reached / answered with a
//     redirect to the preflight / did not answer in time

const http = require('http')
const https = require('https')

const VERSION = (() => {
  try { return require('../package.json').version } catch { return '0' }
})()

const DEFAULT_TIMEOUT_MS = 10000
const USER_AGENT = `rust-cors-check/${VERSION}`

const USAGE = `Usage: rust-cors check <url> --origin <origin> [options]

Sends the CORS preflight a browser would send for fetch(<url>) from a page at
<origin> (OPTIONS with Origin, Access-Control-Request-Method and, when needed,
Access-Control-Request-Headers), then the actual request, and reports whether
a browser would allow it, what it would say, and how to fix it.

Options:
  --origin <origin>      the page's origin, e.g. http://localhost:5173 (required)
  --method <method>      the request method (default GET)
  --header <name>        a request header the page sets; repeatable. Give it as
  --header 'Name: value'   a name only (a typical value is used, e.g.
                           Content-Type: application/json) or with a value
  --credentials          fetch(..., { credentials: 'include' })
  --preflight-only       send only the preflight (the actual request is really
                         sent otherwise, with an empty body: mind POST/PUT/DELETE)
  --json                 print one JSON object instead of text
  -v, --verbose          print the requests and responses (> and <, on stderr)
  --timeout <ms>         per request (default ${DEFAULT_TIMEOUT_MS})
  -h, --help             this text

Exit status: 0 allowed (warnings allowed), 1 blocked, 2 usage or network error.

Example:
  rust-cors check http://127.0.0.1:3000/data --origin http://localhost:5173 \\
    --method POST --header Content-Type --credentials`

class UsageError extends Error {}

// A failure to get a usable answer from the server (exit 2).
class CheckError extends Error {
  constructor (message, code) {
    super(message)
    this.code = code
  }
}

// ---------------------------------------------------------------------------
// Arguments

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

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

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

function parseOrigin (arg) {
  if (arg === 'null') return arg
  let u
  try {
    u = new URL(arg)
  } catch {
    throw new UsageError(`--origin ${JSON.stringify(arg)} is not an origin (expected e.g. http://localhost:5173)`)
  }
  if (u.origin !== 'null') {
    if (u.origin !== arg) {
      throw new UsageError(`--origin ${JSON.stringify(arg)} is not how a browser writes an origin (scheme://host[:port], lower-case, no default port, no path or trailing slash): did you mean ${u.origin}?`)
    }
    return arg
  }
  // Non-special schemes (e.g. chrome-extension://id): scheme://host only.
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+$/.test(arg)) {
    throw new UsageError(`--origin ${JSON.stringify(arg)} is not an origin (expected scheme://host[:port] or null)`)
  }
  return arg
}

function parseArgs (argv) {
  const args = argv.slice()
  const opts = {
    url: null,
    origin: null,
    method: 'GET',
    headers: [],
    credentials: false,
    preflightOnly: false,
    json: false,
    verbose: false,
    timeout: DEFAULT_TIMEOUT_MS,
    help: false
  }
  if (args.length === 0) throw new UsageError('missing command: rust-cors check <url> --origin <origin>')
  const command = args.shift()
  if (command === '-h' || command === '--help' || command === 'help') {
    opts.help = true
    return opts
  }
  if (command !== 'check') throw new UsageError(`unknown command ${JSON.stringify(command)} (the only command is check)`)
  const positional = []
  while (args.length) {
    let arg = args.shift()
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
    switch (arg) {
      case '-h': case '--help': opts.help = true; return opts
      case '--origin': opts.origin = value(); break
      case '-X': case '--method': opts.method = value(); break
      case '-H': case '--header': opts.headers.push(value()); break
      case '--credentials': flag(); opts.credentials = true; break
      case '--preflight-only': flag(); opts.preflightOnly = true; break
      case '--json': flag(); opts.json = true; break
      case '-v': case '--verbose': flag(); opts.verbose = true; break
      case '--timeout': {
        const raw = value()
        const ms = Number(raw)
        if (!/^\d+$/.test(raw) || !(ms > 0) || ms > 2147483647) throw new UsageError(`--timeout ${JSON.stringify(raw)}: expected a positive number of milliseconds`)
        opts.timeout = ms
        break
      }
      case '--':
        positional.push(...args.splice(0))
        break
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`)
        positional.push(arg)
    }
  }
  if (positional.length === 0) throw new UsageError('missing <url>')
  if (positional.length > 1) throw new UsageError(`expected one <url>, got ${positional.length}: ${positional.join(' ')}`)
  opts.url = parseUrl(positional[0])
  if (opts.origin === null) throw new UsageError('missing --origin <origin> (the origin of the page making the request)')
  opts.origin = parseOrigin(opts.origin)
  if (!TOKEN.test(opts.method)) throw new UsageError(`--method ${JSON.stringify(opts.method)} is not a method name`)
  if (/^(connect|trace|track)$/i.test(opts.method)) {
    throw new UsageError(`--method ${opts.method}: fetch() refuses this method (a forbidden method), so no browser can send it`)
  }
  opts.headers = opts.headers.map(parseHeader)
  return opts
}

// ---------------------------------------------------------------------------
// HTTP

function describeNetworkError (err, url, what, timeoutMs) {
  const host = url.host
  const code = err && err.code
  const tls = typeof code === 'string' && (
    code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code) ||
    code === 'EPROTO'
  )
  let msg
  if (code === 'RUST_CORS_TIMEOUT') {
    msg = `no response from ${host} within ${timeoutMs} ms (raise it with --timeout <ms>)`
  } else if (code === 'ECONNREFUSED') {
    msg = `connection refused by ${host}: is the server running and listening on that port?`
  } else if (code === 'ENOTFOUND') {
    msg = `DNS lookup failed: ${url.hostname} does not resolve (check the host name)`
  } else if (code === 'EAI_AGAIN') {
    msg = `DNS lookup failed for ${url.hostname} (temporary failure: is the network or resolver reachable?)`
  } else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    msg = `${host} is unreachable (${code})`
  } else if (tls) {
    msg = `TLS error with ${host}: ${err.message} (${code}); a browser would fail this connection too`
  } else if (code === 'ECONNRESET' || code === 'EPIPE') {
    msg = `${host} closed the connection without an answer (${err.message})` +
      (url.protocol === 'http:' ? '; is it an https:// server?' : '')
  } else if (typeof code === 'string' && code.startsWith('HPE_')) {
    msg = `${host} answered with something that is not HTTP/1.1 (${code}: ${err.message})`
  } else {
    msg = `${err && err.message ? err.message : String(err)}${code ? ` (${code})` : ''}`
  }
  return new CheckError(`the ${what} failed: ${msg}`, code || 'NETWORK_ERROR')
}

// One request; resolves with the status and raw header pairs as soon as the
// head has arrived (the body is drained, for at most the remaining time).
function send (url, method, headers, timeoutMs, what, trace) {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http
    let settled = false
    let req
    try {
      req = mod.request(url, { method, headers, agent: false })
    } catch (err) {
      reject(describeNetworkError(err, url, what, timeoutMs))
      return
    }
    const timer = setTimeout(() => {
      const e = new Error('timeout')
      e.code = 'RUST_CORS_TIMEOUT'
      req.destroy(e)
    }, timeoutMs)
    req.on('error', (err) => {
      clearTimeout(timer)
      if (settled) return
      settled = true
      reject(describeNetworkError(err, url, what, timeoutMs))
    })
    req.on('response', (res) => {
      const headersOut = []
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headersOut.push([res.rawHeaders[i], res.rawHeaders[i + 1]])
      const answer = {
        status: res.statusCode,
        statusMessage: res.statusMessage || '',
        httpVersion: res.httpVersion,
        headers: headersOut
      }
      if (trace) traceExchange(trace, req, method, url, headers, answer)
      settled = true
      res.on('error', () => {})
      res.on('end', () => clearTimeout(timer))
      res.on('close', () => clearTimeout(timer))
      res.resume()
      resolve(answer)
    })
    req.end()
  })
}

function traceExchange (trace, req, method, url, headers, answer) {
  // req._header is the exact request head node wrote (with Host, Connection...).
  const head = typeof req._header === 'string' && req._header
    ? req._header.replace(/\r\n\r\n$/, '').split('\r\n')
    : [`${method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, ...Object.entries(headers).map(([n, v]) => `${n}: ${v}`)]
  for (const line of head) trace(`> ${line}`)
  trace('>')
  trace(`< HTTP/${answer.httpVersion} ${answer.status} ${answer.statusMessage}`.trimEnd())
  for (const [n, v] of answer.headers) trace(`< ${n}: ${v}`)
  trace('<')
}

// ---------------------------------------------------------------------------
// The check

function isRedirect (status) {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308
}

function headerValue (pairs, name) {
  const found = pairs.find(([n]) => n.toLowerCase() === name)
  return found ? found[1] : undefined
}

// Runs the requests and applies the browser's rules. Resolves with
// { verdict, preflight, actual, problems, plan, notes }; rejects with a
// CheckError when the server cannot be reached or redirects the preflight.
async function check (opts, { trace = null, native = require('./native') } = {}) {
  const url = opts.url instanceof URL ? opts.url : parseUrl(String(opts.url))
  const req = {
    origin: opts.origin,
    method: opts.method || 'GET',
    headers: (opts.headers || []).map(([n, v]) => [String(n), String(v)]),
    credentials: !!opts.credentials
  }
  const timeout = opts.timeout || DEFAULT_TIMEOUT_MS
  const plan = native.planRequest(req)
  const notes = []
  const problems = []
  let preflight = null
  let actual = null

  if (url.origin === req.origin) {
    notes.push(`${req.origin} is the URL's own origin: a browser applies no CORS checks to a same-origin request, so the verdict below only matters for other origins`)
  }

  // A Host the user gave is routing, not an author header: keep it on both.
  const host = req.headers.find(([n]) => n.toLowerCase() === 'host')
  const hostValue = host ? host[1] : url.host

  if (plan.preflight) {
    // What a browser puts in a preflight: no author headers, no cookies.
    const headers = { Host: hostValue, Origin: req.origin, 'Access-Control-Request-Method': plan.method }
    if (plan.requestHeaders) headers['Access-Control-Request-Headers'] = plan.requestHeaders
    headers.Accept = '*/*'
    headers['User-Agent'] = USER_AGENT
    if (trace) trace(`* preflight: a browser sends OPTIONS first, as ${describePreflightReason(plan)}`)
    const resp = await send(url, 'OPTIONS', headers, timeout, 'preflight request (OPTIONS)', trace)
    preflight = { status: resp.status, headers: resp.headers }
    if (isRedirect(resp.status)) {
      const location = headerValue(resp.headers, 'location')
      const e = new CheckError(
        `the preflight (OPTIONS) was answered with a redirect (${resp.status}${location ? ` to ${location}` : ''}): ` +
        'a browser fails a redirected preflight ("Redirect is not allowed for a preflight request."); ' +
        'answer OPTIONS at this URL directly' + (location ? `, or point the page at ${location}` : ''),
        'PREFLIGHT_REDIRECT'
      )
      e.preflight = preflight
      throw e
    }
    for (const p of native.checkPreflight(req, preflight)) problems.push({ ...p, stage: 'preflight' })
  } else {
    if (opts.preflightOnly) {
      throw new CheckError(`--preflight-only: a browser sends no preflight for ${plan.method} with only CORS-safelisted headers, so there is nothing to check without the actual request (drop --preflight-only)`, 'NO_PREFLIGHT')
    }
    if (trace) trace(`* no preflight: ${plan.method} with only CORS-safelisted headers is sent directly`)
  }

  const preflightBlocked = problems.some((p) => p.severity === 'error')
  if (preflightBlocked) {
    notes.push(`the actual ${plan.method} request was not sent: a browser stops at a failed preflight`)
  } else if (opts.preflightOnly) {
    notes.push(`the actual ${plan.method} request was not sent (--preflight-only): its response must pass the CORS check too`)
  } else {
    const headers = { Host: hostValue }
    for (const [n, v] of req.headers) {
      if (n.toLowerCase() === 'host') continue
      // A repeated name is combined, as a browser's Headers object does.
      const existing = Object.keys(headers).find((k) => k.toLowerCase() === n.toLowerCase())
      if (existing) headers[existing] = `${headers[existing]}, ${v}`
      else headers[n] = v
    }
    const has = (name) => Object.keys(headers).some((k) => k.toLowerCase() === name)
    if (!has('accept')) headers.Accept = '*/*'
    if (!has('user-agent')) headers['User-Agent'] = USER_AGENT
    headers.Origin = req.origin
    if (trace) trace(`* actual request`)
    const method = plan.method
    const resp = await send(url, method, headers, timeout, `actual request (${method})`, trace)
    actual = { status: resp.status, headers: resp.headers }
    for (const p of native.checkActual(req, actual)) problems.push({ ...p, stage: 'actual' })
    if (resp.status >= 400) {
      notes.push(`the actual request got ${resp.status} ${resp.statusMessage}`.trimEnd() + ": that is the server's own answer (CORS only decides whether the page may read it)")
    }
    if (isRedirect(resp.status)) {
      const location = headerValue(resp.headers, 'location')
      notes.push(`the actual request was redirected (${resp.status}${location ? ` to ${location}` : ''}); a browser applies the CORS check to the redirect (as above), then follows it and checks again: run rust-cors check on ${location ? 'that URL' : 'the target'} too`)
    }
  }

  const blocked = problems.some((p) => p.severity === 'error')
  return {
    verdict: blocked ? 'BLOCKED' : 'PASS',
    preflight,
    actual,
    problems,
    plan,
    notes
  }
}

function describePreflightReason (plan) {
  const parts = []
  if (!['GET', 'HEAD', 'POST'].includes(plan.method)) parts.push(`${plan.method} is not GET, HEAD or POST`)
  if (plan.requestHeaders) parts.push(`the request sets non-safelisted headers (${plan.requestHeaders})`)
  return parts.join(' and ') || 'the request is not a simple one'
}

// ---------------------------------------------------------------------------
// Output

function formatText (result, opts) {
  const url = opts.url.href
  const lines = []
  lines.push(`${result.verdict}  ${result.plan.method} ${url} from origin ${opts.origin}${opts.credentials ? ' (with credentials)' : ''}`)
  if (result.preflight) {
    const acr = [`Access-Control-Request-Method: ${result.plan.method}`]
    if (result.plan.requestHeaders) acr.push(`Access-Control-Request-Headers: ${result.plan.requestHeaders}`)
    lines.push(`  preflight  OPTIONS -> ${result.preflight.status}  (${acr.join(', ')})`)
  } else {
    lines.push('  preflight  none (a simple request: a browser sends it directly)')
  }
  if (result.actual) lines.push(`  actual     ${result.plan.method} -> ${result.actual.status}`)
  else lines.push('  actual     not sent')
  for (const p of result.problems) {
    lines.push('')
    lines.push(`${p.severity} ${p.code} (${p.stage})`)
    lines.push(`  ${p.message}`)
    lines.push(`  fix: ${p.fix}`)
  }
  if (result.notes.length) {
    lines.push('')
    for (const n of result.notes) lines.push(`note: ${n}`)
  }
  return lines.join('\n') + '\n'
}

function toJson (result) {
  return {
    verdict: result.verdict,
    preflight: result.preflight,
    actual: result.actual,
    problems: result.problems.map(({ code, severity, message, fix, stage }) => ({ code, severity, message, fix, stage })),
    notes: result.notes
  }
}

// Indented JSON, with each [name, value] header pair kept on one line.
function stringify (obj) {
  return JSON.stringify(obj, null, 2).replace(/\[\n\s*("(?:[^"\\]|\\.)*"),\n\s*("(?:[^"\\]|\\.)*")\n\s*\]/g, '[$1, $2]') + '\n'
}

// The command. io: { stdout, stderr } with write(); returns the exit status.
async function main (argv, io = { stdout: process.stdout, stderr: process.stderr }) {
  const out = (s) => io.stdout.write(s)
  const err = (s) => io.stderr.write(s)
  let opts
  try {
    opts = parseArgs(argv)
  } catch (e) {
    if (!(e instanceof UsageError)) throw e
    err(`rust-cors: ${e.message}\n\n${USAGE}\n`)
    return 2
  }
  if (opts.help) {
    out(USAGE + '\n')
    return 0
  }
  let native
  try {
    native = require('./native')
  } catch (e) {
    err(`rust-cors check: ${e.message}\n`)
    return 2
  }
  const trace = opts.verbose ? (line) => err(line + '\n') : null
  let result
  try {
    result = await check(opts, { trace, native })
  } catch (e) {
    if (!(e instanceof CheckError)) throw e
    if (opts.json) {
      out(stringify({ verdict: 'ERROR', preflight: e.preflight || null, actual: null, problems: [], notes: [], error: { code: e.code, message: e.message } }))
    }
    err(`rust-cors check: ${e.message}\n`)
    return 2
  }
  if (opts.json) out(stringify(toJson(result)))
  else out(formatText(result, opts))
  return result.verdict === 'PASS' ? 0 : 1
}

module.exports = { main, check, parseArgs, formatText, toJson, placeholderValue, USAGE, UsageError, CheckError }

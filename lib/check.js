'use strict'

// `rust-cors check <url> --origin <origin> ...`: make the requests a browser
// would make for a cross-origin fetch() (the preflight, then the actual
// request) against a live server, and judge the responses with the browser's
// rules. The rules themselves (when to preflight, the CORS check, the
// preflight checks, redirects) live in Rust (src/fetch/) and are reached
// through lib/native.js; this file only does the arguments and the output,
// lib/cli/http.js the HTTP, lib/cli/cases.js the --cases runner.
//
// main(argv, io) is the whole command and returns the exit status:
//   0 the browser would allow the request (warnings allowed); with --cases,
//     every verdict is the expected one
//   1 the browser would block it; with --cases, a verdict differs
//   2 usage error, or the server could not be reached / did not answer in
//     time

const { send, CheckError } = require('./cli/http')

const VERSION = (() => {
  try { return require('../package.json').version } catch { return '0' }
})()

const DEFAULT_TIMEOUT_MS = 10000
const USER_AGENT = `rust-cors-check/${VERSION}`

const USAGE = `Usage: rust-cors check <url> --origin <origin> [options]
       rust-cors check --cases <file> [--base-url <url>] [options]

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
  --cases <file>         run every case of a JSON or JS file (a deploy gate):
                         [{ "name", "url", "origin", "method", "headers",
                         "credentials", "expect": "PASS" | "BLOCKED" }, ...]
                         or { "baseUrl", "defaults": {...}, "cases": [...] };
                         the options above are the defaults of each case
  --base-url <url>       resolve the cases' relative URLs against this one
  -h, --help             this text

Exit status: 0 allowed (warnings allowed), 1 blocked, 2 usage or network error.
With --cases: 0 every verdict is the expected one, 1 one differs (an
unreachable server counts as a difference), 2 the file cannot be used.

Example:
  rust-cors check http://127.0.0.1:3000/data --origin http://localhost:5173 \\
    --method POST --header Content-Type --credentials`

class UsageError extends Error {}

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
    cases: null,
    baseUrl: null,
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
      case '--cases': opts.cases = value(); break
      case '--base-url': opts.baseUrl = value(); break
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
  if (opts.cases !== null) {
    // The cases carry the URLs; --origin, --method, --header, --credentials
    // are the defaults of every case.
    if (positional.length) throw new UsageError(`--cases takes the URLs from the file; remove ${positional.join(' ')}`)
    if (opts.preflightOnly) throw new UsageError('--cases: give preflightOnly per case in the file instead of --preflight-only')
    if (opts.baseUrl !== null) opts.baseUrl = parseUrl(opts.baseUrl)
    if (opts.origin !== null) opts.origin = parseOrigin(opts.origin)
  } else {
    if (opts.baseUrl !== null) throw new UsageError('--base-url goes with --cases')
    if (positional.length === 0) throw new UsageError('missing <url> (or --cases <file>)')
    if (positional.length > 1) throw new UsageError(`expected one <url>, got ${positional.length}: ${positional.join(' ')}`)
    opts.url = parseUrl(positional[0])
    if (opts.origin === null) throw new UsageError('missing --origin <origin> (the origin of the page making the request)')
    opts.origin = parseOrigin(opts.origin)
  }
  if (!TOKEN.test(opts.method)) throw new UsageError(`--method ${JSON.stringify(opts.method)} is not a method name`)
  opts.headers = opts.headers.map(parseHeader)
  return opts
}

// ---------------------------------------------------------------------------
// The check: the browser's fetch (src/fetch/flow.rs) decides every request;
// this loop only sends them and hands back the answers.

function headerValue (pairs, name) {
  const found = pairs.find(([n]) => n.toLowerCase() === name)
  return found ? found[1] : undefined
}

const STAGE_WHAT = {
  preflight: 'preflight request (OPTIONS)',
  actual: 'actual request',
  'vary-probe': 'extra request with another Origin'
}

// Resolves with { verdict, preflight, actual, problems, notes, chain };
// rejects with a CheckError when the server cannot be reached or fetch()
// itself refuses the request.
async function check (opts, { trace = null, native = require('./native') } = {}) {
  const url = opts.url instanceof URL ? opts.url : parseUrl(String(opts.url))
  const headers = (opts.headers || []).map(([n, v]) => [String(n), String(v)])
  const timeout = opts.timeout || DEFAULT_TIMEOUT_MS
  // A Host the user gave is routing, not an author header (a browser drops
  // it): it is kept on every request to the same host.
  const host = headers.find(([n]) => n.toLowerCase() === 'host')
  const fetchFlow = new native.BrowserFetch({
    url: url.href,
    origin: opts.origin,
    method: opts.method || 'GET',
    headers,
    credentials: !!opts.credentials,
    preflightOnly: !!opts.preflightOnly,
    probeVary: true
  })
  const refusal = fetchFlow.refusal()
  if (refusal) throw new CheckError(refusal.message, refusal.code)

  let seenNotes = 0
  const traceNotes = () => {
    if (!trace) return
    const notes = fetchFlow.outcome().notes
    for (; seenNotes < notes.length; seenNotes++) trace(`* ${notes[seenNotes]}`)
  }
  for (let next = fetchFlow.nextRequest(); next; next = fetchFlow.nextRequest()) {
    const target = new URL(next.url)
    const hostValue = host && target.host === url.host ? host[1] : target.host
    const sent = [['Host', hostValue], ...next.headers]
    if (!next.headers.some(([n]) => n.toLowerCase() === 'user-agent')) sent.push(['User-Agent', USER_AGENT])
    if (trace) trace(`* ${next.purpose}`)
    let answer
    try {
      answer = await send(target, next.method, sent, timeout, `${STAGE_WHAT[next.stage] || next.stage} (${next.method}${target.href === url.href ? '' : ` ${target.href}`})`, trace)
    } catch (err) {
      if (next.stage !== 'vary-probe' || !(err instanceof CheckError)) throw err
      fetchFlow.probeFailed(err.message)
      traceNotes()
      continue
    }
    // Which Location a redirect follows, and how its bytes read, is Chromium's rule (src/fetch/head.rs).
    const location = native.redirectLocation({ status: answer.status, headers: answer.headers })
    let resolved = null
    let invalid = null
    if (location !== null && location !== undefined) {
      try {
        resolved = new URL(location, target).href
      } catch {
        invalid = location
      }
    }
    fetchFlow.receive({
      status: answer.status,
      headers: answer.headers,
      location: resolved === null ? undefined : resolved,
      invalidLocation: invalid === null ? undefined : invalid
    })
    traceNotes()
  }

  const outcome = fetchFlow.outcome()
  const chain = outcome.exchanges.map((e) => ({
    stage: e.request.stage,
    method: e.request.method,
    url: e.request.url,
    requestHeaders: e.request.headers,
    status: e.response ? e.response.status : null,
    headers: e.response ? e.response.headers : [],
    redirectTo: e.redirectTo || null
  }))
  const firstPreflight = chain.find((e) => e.stage === 'preflight')
  const actuals = chain.filter((e) => e.stage === 'actual')
  const lastActual = actuals[actuals.length - 1]
  return {
    verdict: outcome.allowed ? 'PASS' : 'BLOCKED',
    preflight: firstPreflight ? { status: firstPreflight.status, headers: firstPreflight.headers } : null,
    actual: lastActual ? { status: lastActual.status, headers: lastActual.headers } : null,
    problems: outcome.problems.map((p) => ({ ...p, url: chain[p.exchange] ? chain[p.exchange].url : url.href })),
    notes: outcome.notes,
    chain,
    // The method as the browser sends it (`put` -> PUT, `patch` stays).
    method: native.planRequest({ origin: opts.origin, method: opts.method || 'GET', headers: [], credentials: false }).method
  }
}

// ---------------------------------------------------------------------------
// Output

function describeExchange (exchange, firstUrl, pageOrigin) {
  const where = exchange.url === firstUrl ? '' : ` ${exchange.url}`
  const origin = headerValue(exchange.requestHeaders, 'origin')
  const extras = []
  if (exchange.stage === 'preflight') {
    extras.push(`Access-Control-Request-Method: ${headerValue(exchange.requestHeaders, 'access-control-request-method')}`)
    const acrh = headerValue(exchange.requestHeaders, 'access-control-request-headers')
    if (acrh) extras.push(`Access-Control-Request-Headers: ${acrh}`)
  }
  if (origin !== undefined && origin !== pageOrigin) extras.push(`Origin: ${origin}`)
  const to = exchange.redirectTo ? ` to ${exchange.redirectTo}` : ''
  const label = exchange.stage === 'vary-probe' ? 'vary check' : exchange.stage
  return `  ${label.padEnd(10)} ${exchange.method}${where} -> ${exchange.status}${to}${extras.length ? `  (${extras.join(', ')})` : ''}`
}

function formatText (result, opts) {
  const url = opts.url.href
  const lines = []
  lines.push(`${result.verdict}  ${result.method} ${url} from origin ${opts.origin}${opts.credentials ? ' (with credentials)' : ''}`)
  if (!result.chain.some((e) => e.stage === 'preflight')) {
    lines.push('  preflight  none (a simple request: a browser sends it directly)')
  }
  for (const exchange of result.chain) lines.push(describeExchange(exchange, url, opts.origin))
  if (!result.chain.some((e) => e.stage === 'actual')) lines.push('  actual     not sent')
  for (const p of result.problems) {
    lines.push('')
    lines.push(`${p.severity} ${p.code} (${p.stage})${p.url !== url ? ` at ${p.url}` : ''}`)
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
    problems: result.problems.map(({ code, severity, message, fix, stage, url }) => ({ code, severity, message, fix, stage, url })),
    notes: result.notes,
    chain: result.chain
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
  if (opts.cases !== null) {
    const { runCases } = require('./cli/cases')
    try {
      return await runCases(opts, { out, trace, native })
    } catch (e) {
      if (!(e instanceof UsageError)) throw e
      err(`rust-cors check --cases: ${e.message}\n`)
      return 2
    }
  }
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

module.exports = { main, check, parseArgs, parseUrl, parseOrigin, parseHeader, stringify, USAGE, UsageError, CheckError, TOKEN }

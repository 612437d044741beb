'use strict'

// `rust-cors check`: make the requests a browser would make for a
// cross-origin fetch() (the preflight, then the actual request) against a
// live server, and judge the responses with the browser's rules. The rules
// live in Rust (src/fetch/); lib/cli/drive.js sends the requests,
// lib/cli/output.js prints the result, lib/cli/cases.js runs --cases files.
//
// Exit status:
//   0 the browser would allow the request (warnings allowed); with --cases,
//     every verdict is the expected one
//   1 the browser would block it; with --cases, a verdict differs
//   2 usage error, or the server could not be reached / did not answer in
//     time

const { UsageError, TOKEN, walkArgs, parseHeader, parseUrl, parseOrigin } = require('./args')
const { check, DEFAULT_TIMEOUT_MS } = require('./drive')
const { CheckError } = require('./http')
const { formatText, toJson, stringify } = require('./output')

const SUMMARY = "judge a live server's CORS answers as a browser would"
const USAGE = 'rust-cors check <url> --origin <origin> [options] | --cases <file> [options]'

const HELP = `Usage: rust-cors check <url> --origin <origin> [options]
       rust-cors check --cases <file> [--base-url <url>] [options]

Sends the CORS preflight a browser would send for fetch(<url>) from a page at
<origin> (OPTIONS with Origin, Access-Control-Request-Method and, when needed,
Access-Control-Request-Headers), then the actual request, and reports whether
a browser would allow it, what it would say, and how to fix it.

When the actual response of a GET or HEAD allows the origin without
Vary: Origin, check sends that request once more with
Origin: https://rust-cors-check.invalid, to learn whether the allowed origin
depends on the Origin (then a shared cache could serve one origin's answer to
another: warning MISSING_VARY_ORIGIN). --no-vary-probe leaves that request out.

Options:
  --origin <origin>      the page's origin, e.g. http://localhost:5173 (required)
  --method <method>      the request method (default GET)
  --header <name>        a request header the page sets; repeatable. Give it as
  --header 'Name: value'   a name only (a typical value is used, e.g.
                           Content-Type: application/json) or with a value
  --credentials          fetch(..., { credentials: 'include' })
  --preflight-only       send only the preflight (the actual request is really
                         sent otherwise, with an empty body: mind POST/PUT/DELETE)
  --no-vary-probe        never send the extra request with another Origin; a
                         missing Vary: Origin is then reported unchecked
  --json                 print one JSON object instead of text
  -v, --verbose          print the requests and responses (> and <, on stderr)
  --timeout <ms>         per request (default ${DEFAULT_TIMEOUT_MS})
  -h, --help             this text

Cases (a deploy gate):
  --cases <file>         run every case of a JSON or JS file (CommonJS or ESM,
                         default export): an array of cases, or
                         { "baseUrl", "defaults": {...}, "cases": [...] }
  --base-url <url>       resolve the cases' relative URLs against this one
                         (instead of the file's baseUrl)
  A case: { "url" (required; relative to the base URL), "expect": "PASS" or
  "BLOCKED" (required), "name", "origin", "method", "headers" ({ "Name":
  "value" }, ["Name", "Name: value"] or [["Name", "value"]]), "credentials"
  (true/false), "preflightOnly" (true/false) }. "defaults" may give origin,
  method, headers, credentials and preflightOnly for every case. A field of
  the case wins; then --origin, --method, --header, --credentials and
  --preflight-only; then "defaults"; then GET, no headers, no credentials.
  --no-vary-probe, --timeout, --json and --verbose apply to every case.

Exit status: 0 allowed (warnings allowed), 1 blocked, 2 usage or network error.
With --cases: 0 every verdict is the expected one, 1 one differs (an
unreachable server counts as a difference), 2 the file cannot be used.

Example:
  rust-cors check http://127.0.0.1:3000/data --origin http://localhost:5173 \\
    --method POST --header Content-Type --credentials`

// argv: the arguments after `check`. What the command line does not give is
// null (method, origin) or empty (headers), so that --cases can tell a flag
// from its absence; a single check fills in GET.
function parseArgs (argv) {
  const opts = {
    url: null,
    origin: null,
    method: null,
    headers: [],
    credentials: false,
    preflightOnly: false,
    varyProbe: true,
    json: false,
    verbose: false,
    timeout: DEFAULT_TIMEOUT_MS,
    cases: null,
    baseUrl: null,
    help: false
  }
  const positional = []
  walkArgs(argv, (arg, value, flag) => {
    switch (arg) {
      case '-h': case '--help': opts.help = true; return 'stop'
      case '--origin': opts.origin = value(); break
      case '-X': case '--method': opts.method = value(); break
      case '-H': case '--header': opts.headers.push(value()); break
      case '--credentials': flag(); opts.credentials = true; break
      case '--preflight-only': flag(); opts.preflightOnly = true; break
      case '--no-vary-probe': flag(); opts.varyProbe = false; break
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
      default: return false
    }
  }, (arg) => positional.push(arg))
  if (opts.help) return opts
  if (opts.cases !== null) {
    // The cases carry the URLs; the other flags override the file's defaults.
    if (positional.length) throw new UsageError(`--cases takes the URLs from the file; remove ${positional.join(' ')}`)
    if (opts.baseUrl !== null) opts.baseUrl = parseUrl(opts.baseUrl)
    if (opts.origin !== null) opts.origin = parseOrigin(opts.origin)
  } else {
    if (opts.baseUrl !== null) throw new UsageError('--base-url goes with --cases')
    if (positional.length === 0) throw new UsageError('missing <url> (or --cases <file>)')
    if (positional.length > 1) throw new UsageError(`expected one <url>, got ${positional.length}: ${positional.join(' ')}`)
    opts.url = parseUrl(positional[0])
    if (opts.origin === null) throw new UsageError('missing --origin <origin> (the origin of the page making the request)')
    opts.origin = parseOrigin(opts.origin)
    if (opts.method === null) opts.method = 'GET'
  }
  if (opts.method !== null && !TOKEN.test(opts.method)) throw new UsageError(`--method ${JSON.stringify(opts.method)} is not a method name`)
  opts.headers = opts.headers.map(parseHeader)
  return opts
}

// The command; argv: the arguments after `check`. A UsageError from the
// command line reaches the caller (lib/cli/main.js); returns the exit status.
async function main (argv, io) {
  const out = (s) => io.stdout.write(s)
  const err = (s) => io.stderr.write(s)
  const opts = parseArgs(argv)
  if (opts.help) {
    out(HELP + '\n')
    return 0
  }
  let native
  try {
    native = require('../native')
  } catch (e) {
    err(`rust-cors check: ${e.message}\n`)
    return 2
  }
  const trace = opts.verbose ? (line) => err(line + '\n') : null
  if (opts.cases !== null) {
    const { runCases } = require('./cases')
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

module.exports = { main, parseArgs, SUMMARY, USAGE, HELP }

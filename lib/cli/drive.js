'use strict'

// One check: the requests a browser makes for a cross-origin fetch() (the
// preflight, the actual request, redirects), sent to a live server and
// judged. The browser's fetch (src/fetch/flow.rs, through lib/native.js)
// decides every request and judges every answer; this loop only sends them
// (lib/cli/http.js) and hands the answers back.

const { send, CheckError } = require('./http')
const { VERSION, parseUrl } = require('./args')

const DEFAULT_TIMEOUT_MS = 10000
const USER_AGENT = `rust-cors-check/${VERSION}`

function headerValue (pairs, name) {
  const found = pairs.find(([n]) => n.toLowerCase() === name)
  return found ? found[1] : undefined
}

const STAGE_WHAT = {
  preflight: 'preflight request (OPTIONS)',
  actual: 'actual request',
  'vary-probe': 'extra request with another Origin'
}

// Without the Vary probe a missing Vary: Origin is reported as if the value
// depended on the Origin; the warning says that this was not checked.
function unprobed (problem) {
  if (problem.code !== 'MISSING_VARY_ORIGIN') return problem
  return {
    ...problem,
    message: `${problem.message} Whether the value depends on the Origin was not checked (--no-vary-probe).`
  }
}

// opts: { url, origin, method, headers: [[name, value]], credentials,
// preflightOnly, varyProbe (default true), timeout }.
// Resolves with { verdict, preflight, actual, problems, notes, chain, method };
// rejects with a CheckError when the server cannot be reached or fetch()
// itself refuses the request.
async function check (opts, { trace = null, native = require('../native') } = {}) {
  const url = opts.url instanceof URL ? opts.url : parseUrl(String(opts.url))
  const headers = (opts.headers || []).map(([n, v]) => [String(n), String(v)])
  const timeout = opts.timeout || DEFAULT_TIMEOUT_MS
  const varyProbe = opts.varyProbe !== false
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
    probeVary: varyProbe
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
  const problems = outcome.problems.map((p) => ({ ...p, url: chain[p.exchange] ? chain[p.exchange].url : url.href }))
  return {
    verdict: outcome.allowed ? 'PASS' : 'BLOCKED',
    preflight: firstPreflight ? { status: firstPreflight.status, headers: firstPreflight.headers } : null,
    actual: lastActual ? { status: lastActual.status, headers: lastActual.headers } : null,
    problems: varyProbe ? problems : problems.map(unprobed),
    notes: outcome.notes,
    chain,
    // The method as the browser sends it (`put` -> PUT, `patch` stays).
    method: native.planRequest({ origin: opts.origin, method: opts.method || 'GET', headers: [], credentials: false }).method
  }
}

module.exports = { check, headerValue, DEFAULT_TIMEOUT_MS }

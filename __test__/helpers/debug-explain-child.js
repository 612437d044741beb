'use strict'

// Run in a child process with NODE_DEBUG=rust-cors (which Node reads at
// start-up) by __test__/debug-explain.test.js: every request of the
// differential corpus goes through a rust-cors middleware on mock objects,
// and through explain() with the same options; prints one JSON summary.

const path = require('node:path')
const { genCase, tagged } = require('./generate')

const root = path.join(__dirname, '..', '..')
const rustCors = require(root)

const CASES = Number(process.env.CORPUS_CASES || 10000)
const SEED = Number(process.env.CORPUS_SEED || 0x5eed2024)
// The generator only draws configurations that finish (the differential asserts it), so this is
// not a measure of speed but a guard against a real hang: long enough that a slow request on a
// loaded machine is still waited for (a short cutoff let its debug lines arrive during the next
// request and be compared with the wrong explain()).
const HANG_MS = 10000

// The debug lines of the request being run.
let lines = []
const write = process.stderr.write.bind(process.stderr)
process.stderr.write = function (chunk, ...rest) {
  const text = String(chunk)
  if (text.startsWith('RUST-CORS')) {
    lines.push(text)
    return true
  }
  return write(chunk, ...rest)
}

function optionsFrom (source) {
  if (source === 'NOARG') return undefined
  // eslint-disable-next-line no-new-func
  return new Function('tagged', '"use strict"; return (' + source + ')')(tagged)
}

function response () {
  const headers = new Map()
  return {
    statusCode: 200,
    getHeader (name) { const e = headers.get(String(name).toLowerCase()); return e && e[1] },
    setHeader (name, value) { headers.set(String(name).toLowerCase(), [name, value]) },
    getHeaders () { const out = {}; for (const [k, [, v]] of headers) out[k] = v; return out },
    end () {}
  }
}

// Run the middleware until it answers, calls next, throws or hangs.
function run (middleware, req) {
  return new Promise((resolve) => {
    const res = response()
    let done = false
    let timer = null
    const finish = (how) => {
      if (done) return
      done = true
      if (timer !== null) clearTimeout(timer)
      resolve(how)
    }
    res.end = () => finish('end')
    timer = setTimeout(() => finish('hang'), HANG_MS)
    try {
      middleware(req, res, () => finish('next'))
    } catch {
      finish('threw')
    }
    if (done) clearTimeout(timer)
  })
}

function codesOf (debugLines) {
  return [...new Set(debugLines.map((l) => (/": ([A-Z_]+): /.exec(l) || [])[1]).filter(Boolean))].sort()
}

async function main () {
  const stats = { requests: 0, compared: 0, denied: 0, skipped: 0, mismatches: [] }
  for (let i = 0; i < CASES; i++) {
    const c = genCase(i, SEED)
    // A stateful (g/y) RegExp answers differently on each call, and explain()
    // runs on copies: such cases are left out.
    const stateful = /\/[a-z]*[gy][a-z]*\b(?![\w.])|['"][a-z]*[gy][a-z]*['"]\)/.test(c.optionsSrc)
    // A delegate that answers a preflight with other options than the
    // request: NODE_DEBUG replays the preflight of a request it received
    // with the request's options, explain() asks the delegate.
    const perMethod = c.optionsSrc.includes('req.method')
    let middleware
    try {
      middleware = rustCors(optionsFrom(c.optionsSrc))
    } catch {
      stats.skipped += c.requests.length
      continue
    }
    for (let k = 0; k < c.requests.length; k++) {
      const r = c.requests[k]
      stats.requests++
      if (stateful || (perMethod && !/^options$/i.test(r.methodOverride || r.method))) { stats.skipped++; continue }
      const headers = {}
      if (r.origin !== undefined) headers.origin = r.origin
      if (r.acrm !== undefined) headers['access-control-request-method'] = r.acrm
      if (r.acrh !== undefined) headers['access-control-request-headers'] = r.acrh
      const method = r.methodOverride === '__undefined__' ? r.method : (r.methodOverride || r.method)
      lines = []
      // Each request has its own path, which NODE_DEBUG prints: a line a
      // callback of an earlier request (one left out as hung on a loaded
      // machine) logs late is not taken for this request's.
      const url = `/case/${i}/${k}`
      const how = await run(middleware, { method, url, headers })
      const logged = lines.filter((line) => line.includes(` ${url} from origin `))
      lines = []
      if (how === 'hang') { stats.skipped++; continue }
      let explained
      try {
        explained = await Promise.race([
          rustCors.explain(optionsFrom(c.optionsSrc), { method, headers }),
          new Promise((resolve) => setTimeout(() => resolve(null), HANG_MS))
        ])
      } catch (e) {
        stats.mismatches.push({ case: i, request: k, error: String(e && e.stack) })
        continue
      }
      if (explained === null) { stats.skipped++; continue }
      stats.compared++
      const debugCodes = codesOf(logged)
      const explainCodes = [...new Set(explained.reasons.filter((x) => x.severity === 'error').map((x) => x.code))].sort()
      if (debugCodes.length > 0) stats.denied++
      const agree = (debugCodes.length > 0) === !explained.allowed && debugCodes.join() === explainCodes.join()
      if (!agree && stats.mismatches.length < 20) {
        stats.mismatches.push({ case: i, request: k, options: c.optionsSrc, method, headers, how, debug: logged, explain: explained })
      } else if (!agree) {
        stats.mismatches.push({ case: i, request: k })
      }
    }
  }
  write(JSON.stringify(stats) + '\n')
}

main().then(() => process.exit(0), (e) => { write(String(e && e.stack) + '\n'); process.exit(1) })

'use strict'

// Differential test: cors@2.8.6 and rust-cors side by side over real node:http requests.
//
// Every generated case is (options source, 1–4 requests). The options are generated as JavaScript
// *source* so that each implementation gets its own fresh objects (RegExp lastIndex, callbacks) and
// a mismatch can be printed and replayed. Both implementations run in this process, each behind its
// own keep-alive http server on 127.0.0.1:0; the server records, server side, how the middleware
// finished (next() and its arguments / res.end() / a synchronous throw), whether that happened
// synchronously, res.getHeaderNames() and the typed header values at that moment; the client records
// status, raw headers (names, casing, order, values) and body.
//
// Environment knobs (all optional):
//   DIFF_CASES=n        number of generated cases (default 10000; the test asserts >= 10000 unless set)
//   DIFF_SEED=n         master seed (default 0x5eed2024)
//   DIFF_ONLY=i         run only case #i (replay a printed mismatch)
//   DIFF_SELFTEST=1     compare cors against cors (harness development)
//   DIFF_SHOW=n         how many mismatches to print in full (default 5)
//   DIFF_DUMP=file      write every mismatch, formatted, to this file
//   DIFF_STRICT_TYPES=1 also count the pinned type-only differences (TYPE_ONLY_PINNED below)
//
// A response identical on the wire whose res.getHeader() values differ only in JS type is a
// mismatch, except for the differences pinned in TYPE_ONLY_PINNED, which are counted and
// reported (never silently ignored).

const http = require('node:http')
const util = require('node:util')
const corsRef = require('cors')

const SELFTEST = process.env.DIFF_SELFTEST === '1'
const DEFAULT_CASES = 10000
const N_CASES = process.env.DIFF_CASES ? Number(process.env.DIFF_CASES) : DEFAULT_CASES
const SEED = process.env.DIFF_SEED ? Number(process.env.DIFF_SEED) : 0x5eed2024
const ONLY = process.env.DIFF_ONLY !== undefined ? Number(process.env.DIFF_ONLY) : null
const SHOW = process.env.DIFF_SHOW ? Number(process.env.DIFF_SHOW) : 5
const STRICT_TYPES = process.env.DIFF_STRICT_TYPES === '1'
const CONCURRENCY = 24
const HANG_MS = 3000

function loadImpl () {
  if (SELFTEST) return corsRef
  return require('..')
}

const { mulberry32, caseSeed, makeGen, genCase: genSeededCase, genRequest, REQUEST_ORIGINS, INVALID_STAR_STRINGS, q, buildMiddleware } = require('./helpers/generate')

const genCase = (index) => genSeededCase(index, SEED)

// ---------------------------------------------------------------------------------------------
// Long-lived middleware instances: many requests through one middleware, so that per-instance
// caches (compiled delegate policies, compiled origin-callback values, origin verdicts) are hit,
// overflow and are keyed on values that cors tells apart but a cache key might not.

const CONFUSABLE = {
  origin: [
    '/example/', '/example/i', '/example/g', '/example/y', '/EXAMPLE/', '/Example/i', "'/example/'", '/example/m',
    "['http://example.com']", "[['http://example.com']]", "'http://example.com'", "new String('http://example.com')",
    '[/example/]', '[/example/g]', '[/example/, /example/g]', 'true', '1', "'*'", "['*']", '[true]', '[]', '[false]',
    '[0]', '[1]', "['1']", "['http://example.com', 'https://example.com']", "['http://example.com,https://example.com']",
    "['http://a.com', /^http:\\/\\/(a|example)\\.com$/]", "[/^http:\\/\\/(a|example)\\.com$/, 'http://a.com']",
    '/(?:)/', "new RegExp('example')", "new RegExp('.')", '/./', '/\\./', '/n/', '/n/g', '{}',
    "'https://*.de'", "['https://*.de', 'http://example.com']"
  ],
  maxAge: ['0', "'0'", '-0', "''", 'null', 'NaN', "'NaN'", '1.5', "'1.5'", "'1'", '1', 'undefined', "'abc'", 'true'],
  methods: ["'GET,PUT'", "['GET', 'PUT']", "[['GET', 'PUT']]", "['GET,PUT']", "'GET, PUT'", "''", '[]', "['']", "[' ']", "' '", '42'],
  allowedHeaders: ["''", '[]', "['']", 'null', "'a'", "['a']", "['a', 'b']", "'a,b'", "[['a', 'b']]", 'undefined', "[' ']"],
  headers: ['undefined', "'h'", "['h']", "''", '[]'],
  exposedHeaders: ["''", '[]', "['']", "'e'", "['e']", "['e', 'f']", "'e,f'", 'null', "[' ']", '42'],
  // 'true' and 1 must not share a cache entry with true
  credentials: ['true', 'false', 'undefined', 'null', "'true'", '1'],
  preflightContinue: ['true', 'false', "'x'", '1', '0', "''", 'undefined'],
  optionsSuccessStatus: ['200', '204', '202', "'200'", '200.5']
}
const CONFUSABLE_KEYS = Object.keys(CONFUSABLE)

function confusableDelegateSource (asyncCb) {
  // picks one value per option from the X-Variant header's digits (base = list length)
  const lists = CONFUSABLE_KEYS.map((k) => `[${CONFUSABLE[k].join(', ')}]`)
  const pickers = CONFUSABLE_KEYS.map((k, i) =>
    `${k}: L[${i}][Math.floor(v / ${CONFUSABLE_KEYS.slice(0, i).reduce((acc, kk) => acc * CONFUSABLE[kk].length, 1)}) % L[${i}].length]`)
  const body = `cb(null, { ${pickers.join(', ')} })`
  return `function (req, cb) { var v = Number(req.headers['x-variant']) || 0; var L = [${lists.join(', ')}]; ` +
    (asyncCb ? `setImmediate(function () { ${body} })` : body) + ' }'
}

function confusableOriginFnSource () {
  // the origin callback can only see the origin, so the value is chosen from it
  return `{ origin: function (origin, cb) { var L = [${CONFUSABLE.origin.join(', ')}, function () {}]; var h = 0; ` +
    'for (var i = 0; i < String(origin).length; i++) h = (h * 31 + String(origin).charCodeAt(i)) >>> 0; ' +
    'cb(null, L[h % L.length]) }, credentials: true }'
}

function manyOrigins (g) {
  return g.weighted([
    [3, () => `https://x${g.int(3000)}.example.com`],
    [2, () => `http://x${g.int(3000)}.evil.com`],
    [1, () => `http://${g.pick(['a', 'example', 'evil', 'b'])}.com`],
    [2, () => g.weighted(REQUEST_ORIGINS)]
  ])
}

const LONG_LIVED = [
  { name: 'delegate choosing among confusable option values (sync)', src: () => confusableDelegateSource(false), variants: true },
  { name: 'delegate choosing among confusable option values (async)', src: () => confusableDelegateSource(true), variants: true },
  { name: 'origin callback choosing among confusable origin values', src: confusableOriginFnSource },
  {
    name: 'static origin list, more distinct request origins than any verdict cache',
    requests: 1400,
    uniqueOrigins: true,
    src: () => "{ origin: ['http://a.com', /^https:\\/\\/x\\d*7\\.example\\.com$/, 'https://x5.example.com', /evil\\.com$/i, [/^http:\\/\\/x1\\d\\./]], maxAge: 5 }"
  },
  {
    name: 'static origin list with a /g RegExp, many origins',
    src: () => "{ origin: ['http://a.com', /x\\d*3\\.example\\.com$/g, /evil/y], exposedHeaders: ['E'] }"
  },
  { name: 'single RegExp, many origins', src: () => '{ origin: /^https:\\/\\/x\\d+\\.example\\.com$/ }' }
]

function genLongLivedCase (index, spec, nReq) {
  const g = makeGen(mulberry32(caseSeed(SEED ^ 0x10e6, index)))
  const requests = []
  for (let i = 0; i < nReq; i++) {
    const r = genRequest(g)
    if (spec.uniqueOrigins && g.chance(0.8)) r.origin = g.chance(0.6) ? `https://x${i}.example.com` : `http://x${i}.evil.com`
    else r.origin = g.chance(0.9) ? manyOrigins(g) : r.origin
    if (spec.variants) r.variant = g.int(1 << 30)
    requests.push(r)
  }
  return { index, optionsSrc: spec.src(), requests, name: spec.name }
}

function describeValue (v) {
  if (v === undefined) return 'undefined'
  if (v === null) return 'null'
  if (v instanceof Error) return `${v.constructor.name}(${v.message})${v.tag ? '#' + v.tag : ''}`
  if (typeof v === 'string') return 'string:' + JSON.stringify(v)
  return typeof v + ':' + util.inspect(v)
}

function describeNext (args) {
  return 'next(' + Array.prototype.map.call(args, describeValue).join(', ') + ')'
}

// ---------------------------------------------------------------------------------------------
// The servers

function startServer (label, registry) {
  const server = http.createServer((req, res) => {
    res.sendDate = false
    const m = /^\/c\/(\d+)\/(\d+)$/.exec(req.url)
    const entry = m && registry.get(Number(m[1]))
    if (!entry) {
      res.statusCode = 598
      res.end('unknown case')
      return
    }
    const rec = { how: null, sync: null, names: null, values: null, status: null, endArgs: null, ret: null, late: [] }
    entry.records[label][Number(m[2])] = rec

    const mo = req.headers['x-test-method']
    if (mo !== undefined) req.method = mo === '__undefined__' ? undefined : mo
    const pre = req.headers['x-test-pre']
    if (pre) for (const [n, v] of JSON.parse(pre)) res.setHeader(n, v)

    let finished = false
    let timer = null
    const origEnd = res.end
    const snapshot = (how) => {
      if (finished) {
        rec.late.push(how)
        return false
      }
      finished = true
      if (timer) clearTimeout(timer)
      rec.how = how
      rec.names = res.getHeaderNames()
      rec.values = rec.names.map((n) => {
        const v = res.getHeader(n)
        return Array.isArray(v) ? ['array', v.slice()] : [typeof v, v]
      })
      rec.status = res.statusCode
      rec.headersSent = res.headersSent
      return true
    }
    res.end = function (...args) {
      if (!finished) {
        snapshot('end')
        rec.endArgs = args.map(describeValue)
      }
      res.end = origEnd
      return origEnd.apply(this, args)
    }
    const next = function () {
      if (!snapshot(describeNext(arguments))) return
      res.end = origEnd
      if (res.headersSent || res.writableEnded) return
      res.setHeader('X-Final', 'yes')
      if (arguments[0]) res.statusCode = 500
      res.end(rec.how)
    }
    let ret
    try {
      ret = entry.mw[label](req, res, next)
    } catch (e) {
      if (snapshot('throw:' + describeValue(e))) {
        res.end = origEnd
        if (!res.headersSent && !res.writableEnded) {
          res.statusCode = 500
          res.end('threw')
        }
      } else {
        rec.late.push('throw-after-finish:' + describeValue(e))
      }
    }
    rec.sync = finished
    rec.ret = ret === undefined ? 'undefined' : (ret && typeof ret.then === 'function' ? 'thenable' : typeof ret)
    if (ret && typeof ret.then === 'function') ret.then(null, () => {})
    if (!finished) {
      timer = setTimeout(() => {
        if (snapshot('hang')) {
          res.end = origEnd
          res.statusCode = 599
          res.end('hang')
        }
      }, HANG_MS)
    }
  })
  server.keepAliveTimeout = 60000
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

function sendRequest (agent, port, path, r) {
  return new Promise((resolve, reject) => {
    const headers = {}
    if (r.origin !== undefined) headers.Origin = r.origin
    if (r.acrm !== undefined) headers['Access-Control-Request-Method'] = r.acrm
    if (r.acrh !== undefined) headers[r.acrhName] = r.acrh
    if (r.methodOverride !== undefined) headers['X-Test-Method'] = r.methodOverride
    if (r.pre) headers['X-Test-Pre'] = JSON.stringify(r.pre)
    if (r.variant !== undefined) headers['X-Variant'] = String(r.variant)
    const req = http.request({ host: '127.0.0.1', port, path, method: r.method, headers, agent }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({
        status: res.statusCode,
        rawHeaders: res.rawHeaders.slice(),
        body: Buffer.concat(chunks).toString('latin1')
      }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

// ---------------------------------------------------------------------------------------------
// Comparison

const WIRE_FIELDS = ['status', 'rawHeaders', 'body']
const SERVER_FIELDS = ['how', 'sync', 'names', 'status', 'endArgs', 'ret', 'late', 'headersSent']

// The type-only differences allowed, and why. cors@2.8.6 hands `methods` and
// `allowedHeaders`/`headers` to res.setHeader() as given when the value has no join() (a
// number, a boolean, a String or Number object, a plain object): `methods: 42` leaves the
// number 42 for res.getHeader(). rust-cors compiles the policy once, in Rust, and stores the
// string the wire gets ('42'). Same bytes on the wire; a later middleware reading the header
// back sees a string. Every other header, and any other pair of types (a string where cors has
// an array, a number where cors has a string...), counts as a mismatch.
const TYPE_ONLY_PINNED = {
  'access-control-allow-methods': ['number', 'boolean', 'object'],
  'access-control-allow-headers': ['number', 'boolean', 'object']
}

// The header values that differ only in JS type, as [name, cors type, rust-cors type].
function typeDifferences (a, b) {
  const out = []
  for (let i = 0; i < a.rec.values.length; i++) {
    const [typeA, valueA] = a.rec.values[i]
    const [typeB, valueB] = b.rec.values[i]
    if (typeA !== typeB || !util.isDeepStrictEqual(valueA, valueB)) out.push([a.rec.names[i], typeA, typeB])
  }
  return out
}

function isPinnedTypeDifference (a, b) {
  const diffs = typeDifferences(a, b)
  return diffs.length > 0 && diffs.every(([name, typeA, typeB]) => typeB === 'string' && (TYPE_ONLY_PINNED[name] || []).includes(typeA))
}

function compareOne (a, b) {
  const diffs = []
  for (const f of WIRE_FIELDS) {
    if (!util.isDeepStrictEqual(a.wire[f], b.wire[f])) diffs.push('wire.' + f)
  }
  for (const f of SERVER_FIELDS) {
    if (!util.isDeepStrictEqual(a.rec[f], b.rec[f])) diffs.push('server.' + f)
  }
  // typed header values as seen by res.getHeader() when the middleware finished
  if (!util.isDeepStrictEqual(a.rec.values, b.rec.values)) {
    const valuesAsText = (rec) => rec.values && rec.values.map(([, v]) => String(v))
    if (!util.isDeepStrictEqual(valuesAsText(a.rec), valuesAsText(b.rec))) diffs.push('server.values')
    else diffs.push(isPinnedTypeDifference(a, b) ? 'server.valueTypes' : 'server.valueTypes.unpinned')
  }
  return diffs
}

function formatResponse (x) {
  if (!x) return '  (no response)'
  if (x.error) return '  ERROR ' + x.error
  const lines = []
  lines.push(`  status ${x.wire.status}, body ${JSON.stringify(x.wire.body)}`)
  const raw = x.wire.rawHeaders
  for (let i = 0; i < raw.length; i += 2) lines.push(`    ${raw[i]}: ${raw[i + 1]}`)
  lines.push(`  middleware: ${x.rec.how} (sync=${x.rec.sync}, returned ${x.rec.ret}` +
    (x.rec.endArgs ? `, end(${x.rec.endArgs.join(', ')})` : '') + (x.rec.late.length ? `, late: ${x.rec.late.join('; ')}` : '') + ')')
  lines.push(`  getHeaderNames(): ${JSON.stringify(x.rec.names)}; statusCode=${x.rec.status}`)
  lines.push(`  values: ${util.inspect(x.rec.values, { depth: 4, breakLength: Infinity })}`)
  return lines.join('\n')
}

function formatRequest (r) {
  const parts = [r.method + (r.methodOverride !== undefined ? ` (req.method set to ${JSON.stringify(r.methodOverride)})` : '')]
  parts.push(r.origin === undefined ? 'no Origin' : `Origin: ${JSON.stringify(r.origin)}`)
  if (r.acrm !== undefined) parts.push(`ACRM: ${JSON.stringify(r.acrm)}`)
  if (r.acrh !== undefined) parts.push(`${r.acrhName}: ${JSON.stringify(r.acrh)}`)
  if (r.pre) parts.push(`pre-set headers ${JSON.stringify(r.pre)}`)
  if (r.variant !== undefined) parts.push(`X-Variant: ${r.variant}`)
  return parts.join(', ')
}

function formatMismatch (m) {
  const out = []
  out.push(m.name
    ? `long-lived case "${m.name}" (seed ${SEED}) — ${m.kind}`
    : `case #${m.caseIndex} (seed ${SEED}; replay: DIFF_ONLY=${m.caseIndex}) — ${m.kind}`)
  out.push(`options: ${m.optionsSrc}`)
  if (m.kind === 'construct') {
    out.push(`  cors:      ${m.a}`)
    out.push(`  rust-cors: ${m.b}`)
    return out.join('\n')
  }
  m.requests.forEach((r, i) => {
    out.push(`request ${i + 1}/${m.requests.length}${i === m.at ? '  <== differs: ' + m.diffs.join(', ') : ''}: ${formatRequest(r)}`)
  })
  out.push('cors@2.8.6:')
  out.push(formatResponse(m.respA))
  out.push('rust-cors:')
  out.push(formatResponse(m.respB))
  return out.join('\n')
}

// ---------------------------------------------------------------------------------------------
// Runner

async function runDifferential (implA, implB, { indices, makeCase = genCase, concurrency = CONCURRENCY }) {
  const registry = new Map()
  const servers = { a: await startServer('a', registry), b: await startServer('b', registry) }
  const ports = { a: servers.a.address().port, b: servers.b.address().port }
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  const stats = { cases: 0, requests: 0, mismatches: [], mismatchKinds: {}, outcomes: {}, typeOnly: 0, typeOnlyKinds: {}, typeOnlyExamples: [] }

  async function runCase (index) {
    const c = makeCase(index)
    const entry = { mw: {}, records: { a: [], b: [] } }
    let errA = null
    let errB = null
    try { entry.mw.a = buildMiddleware(implA, c.optionsSrc) } catch (e) { errA = describeValue(e) }
    try { entry.mw.b = buildMiddleware(implB, c.optionsSrc) } catch (e) { errB = describeValue(e) }
    stats.cases++
    if (errA || errB) {
      if (errA !== errB) {
        record({ kind: 'construct', caseIndex: index, name: c.name, optionsSrc: c.optionsSrc, a: errA || 'ok', b: errB || 'ok' })
      }
      return
    }
    registry.set(index, entry)
    try {
      for (let i = 0; i < c.requests.length; i++) {
        const r = c.requests[i]
        const path = `/c/${index}/${i}`
        const [wa, wb] = await Promise.all([
          sendRequest(agent, ports.a, path, r).then((wire) => ({ wire, rec: entry.records.a[i] }), (e) => ({ error: String(e) })),
          sendRequest(agent, ports.b, path, r).then((wire) => ({ wire, rec: entry.records.b[i] }), (e) => ({ error: String(e) }))
        ])
        stats.requests++
        if (wa.rec) {
          const o = wa.rec.how.replace(/\(.*\)$/s, (x) => x.length > 2 ? '(…)' : x) + (wa.rec.sync ? ' sync' : ' async')
          stats.outcomes[o] = (stats.outcomes[o] || 0) + 1
        }
        let diffs
        if (wa.error || wb.error) diffs = wa.error === wb.error ? [] : ['transport']
        else diffs = compareOne(wa, wb)
        if (diffs.length === 1 && diffs[0] === 'server.valueTypes' && !STRICT_TYPES) {
          // identical on the wire; only the JS type of a res.getHeader() value differs, in a way
          // TYPE_ONLY_PINNED allows: counted and reported
          stats.typeOnly++
          for (const [name, typeA] of typeDifferences(wa, wb)) {
            const key = `${name}: ${typeA}`
            stats.typeOnlyKinds[key] = (stats.typeOnlyKinds[key] || 0) + 1
          }
          if (stats.typeOnlyExamples.length < 2) {
            stats.typeOnlyExamples.push({ kind: 'server.valueTypes (pinned)', caseIndex: index, name: c.name, optionsSrc: c.optionsSrc, requests: c.requests, at: i, diffs, respA: wa, respB: wb })
          }
          continue
        }
        if (diffs.length) {
          record({ kind: diffs.join(','), caseIndex: index, name: c.name, optionsSrc: c.optionsSrc, requests: c.name ? c.requests.slice(Math.max(0, i - 3), i + 1) : c.requests, at: c.name ? Math.min(i, 3) : i, diffs, respA: wa, respB: wb })
          return
        }
      }
    } finally {
      registry.delete(index)
    }
  }

  function record (m) {
    stats.mismatches.push(m)
    for (const k of (m.diffs || [m.kind])) stats.mismatchKinds[k] = (stats.mismatchKinds[k] || 0) + 1
  }

  let cursor = 0
  async function worker () {
    while (cursor < indices.length) {
      const index = indices[cursor++]
      await runCase(index)
    }
  }
  try {
    await Promise.all(Array.from({ length: concurrency }, worker))
  } finally {
    agent.destroy()
    await Promise.all([servers.a, servers.b].map((s) => new Promise((resolve) => {
      s.closeAllConnections()
      s.close(resolve)
    })))
  }
  stats.mismatches.sort((x, y) => x.caseIndex - y.caseIndex)
  return stats
}

function report (label, stats) {
  const lines = [`${label}: ${stats.cases} cases, ${stats.requests} request pairs, ${stats.mismatches.length} mismatching cases`]
  lines.push('cors outcomes: ' + JSON.stringify(stats.outcomes))
  if (stats.typeOnly) {
    lines.push(`${stats.typeOnly} request pairs differ only in the JS type of a res.getHeader() value, all pinned in TYPE_ONLY_PINNED ` +
      `(header: cors's type -> rust-cors's string): ${JSON.stringify(stats.typeOnlyKinds)}`)
  }
  if (stats.mismatches.length) {
    lines.push('mismatch kinds: ' + JSON.stringify(stats.mismatchKinds))
    // triage: how many mismatches are rust-cors rejecting an option value that cors accepts
    // (a TypeError at construction, or next(TypeError) for a delegate's options), by option and value type
    const rejected = {}
    let other = 0
    for (const m of stats.mismatches) {
      const text = m.kind === 'construct' ? m.b : (m.respB && m.respB.rec ? m.respB.rec.how : '')
      const hit = /option `(\w+)` must be [^;]*; got (.*?)\.(?:\s|\)|$)/.exec(text || '')
      if (hit) {
        const k = `${hit[1]} (${hit[2]})`
        rejected[k] = (rejected[k] || 0) + 1
      } else {
        other++
      }
    }
    lines.push(`option values rejected by rust-cors but accepted by cors: ${JSON.stringify(rejected)}; other mismatches: ${other}`)
    for (const m of stats.mismatches.slice(0, SHOW)) lines.push('', formatMismatch(m))
  }
  return lines.join('\n')
}

// Runs fn with process.emitWarning replaced by a counter (by warning code).
async function countingWarnings (fn) {
  const warnings = {}
  const emitWarning = process.emitWarning
  process.emitWarning = function (w, o) {
    const code = (o && o.code) || (w && w.code) || String(w).slice(0, 40)
    warnings[code] = (warnings[code] || 0) + 1
  }
  try {
    const stats = await fn()
    return { warnings, stats }
  } finally {
    process.emitWarning = emitWarning
  }
}

// ---------------------------------------------------------------------------------------------
// Tests

jest.setTimeout(240000)

describe('differential: cors@2.8.6 vs rust-cors over node:http', () => {
  let impl
  beforeAll(() => { impl = loadImpl() })

  test(`${ONLY !== null ? 'case #' + ONLY : N_CASES + ' seeded generated cases'} give identical responses`, async () => {
    const indices = ONLY !== null ? [ONLY] : Array.from({ length: N_CASES }, (_, i) => i)
    const t0 = Date.now()
    // rust-cors reports risky and wrong-typed options with process.emitWarning (the generator draws
    // them on purpose); count them instead of printing them
    const { warnings, stats } = await countingWarnings(() => runDifferential(corsRef, impl, { indices }))
    console.log('process warnings emitted during the run: ' + JSON.stringify(warnings))
    if (process.env.DIFF_DUMP) {
      // every mismatch, formatted, for offline triage
      require('node:fs').writeFileSync(process.env.DIFF_DUMP, stats.mismatches.map(formatMismatch).join('\n\n') + '\n')
    }
    const text = report(`differential (seed ${SEED}, ${((Date.now() - t0) / 1000).toFixed(1)} s)`, stats)
    console.log(text)
    if (ONLY === null && !process.env.DIFF_CASES) expect(stats.cases).toBeGreaterThanOrEqual(DEFAULT_CASES)
    expect(stats.cases).toBe(indices.length)
    // the generator only produces configurations that cors finishes (no hanging callbacks)
    expect(Object.keys(stats.outcomes).filter((k) => k.startsWith('hang'))).toEqual([])
    if (stats.mismatches.length) throw new Error(text)
    expect(stats.mismatches.length).toBe(0)
    expect(stats.requests).toBeGreaterThanOrEqual(indices.length)
  })

  test('long-lived middleware instances (per-instance caches) answer like cors over thousands of requests', async () => {
    const PER_CASE = ONLY !== null ? 50 : 400
    const t0 = Date.now()
    const { stats } = await countingWarnings(() => runDifferential(corsRef, impl, {
      indices: LONG_LIVED.map((_, i) => i),
      makeCase: (i) => genLongLivedCase(i, LONG_LIVED[i], ONLY === null && LONG_LIVED[i].requests ? LONG_LIVED[i].requests : PER_CASE),
      concurrency: LONG_LIVED.length
    }))
    const text = report(`long-lived (${((Date.now() - t0) / 1000).toFixed(1)} s)`, stats)
    console.log(text)
    expect(stats.cases).toBe(LONG_LIVED.length)
    expect(Object.keys(stats.outcomes).filter((k) => k.startsWith('hang'))).toEqual([])
    if (stats.mismatches.length) throw new Error(text)
    expect(stats.requests).toBe(LONG_LIVED.reduce((n, spec) => n + (ONLY === null && spec.requests ? spec.requests : PER_CASE), 0))
  })

  const STAR_SOURCE = new RegExp('(' + INVALID_STAR_STRINGS.map((str) => q(str).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|') + ')')

  test('the generator covers the option and request space it claims to', () => {
    // guards against a generator change silently dropping whole areas of the input space
    const seen = new Map()
    const bump = (k) => seen.set(k, (seen.get(k) || 0) + 1)
    const probes = {
      gFlag: /\/[a-z]*g[a-z]*(,|\s|\)|$|\])/,
      yFlag: /\/y\b/,
      iFlag: /\/i\b|"gi"|\/gi/,
      lookahead: /\(\?!/,
      nestedArray: /\[\[|, \[/,
      originFn: /function \(origin, cb\)|\(origin, cb\) =>/,
      delegate: /\(req, cb\)/,
      asyncCb: /setImmediate|Promise\.resolve|setTimeout|nextTick/,
      errorCb: /new (Range|Type)?Error/,
      cbNull: /cb\(null\)/,
      frozen: /Object\.freeze/,
      headersAlias: /headers: /,
      allowedHeaders: /allowedHeaders: /,
      maxAgeNaN: /maxAge: NaN/,
      maxAgeFrac: /maxAge: 1\.5/,
      explicitUndefined: /: undefined/,
      preflightContinue: /preflightContinue: true/,
      status200: /optionsSuccessStatus: 200/,
      // wrong-typed values of every cors option, static and in delegates
      credentialsWrongType: /credentials: ('true'|1|\{\})/,
      methodsWrongType: /methods: (42|true)\b/,
      maxAgeWrongType: /maxAge: (true|'600'|\{\})/,
      statusWrongType: /optionsSuccessStatus: ('200'|200\.5)/,
      exposedWrongType: /exposedHeaders: 42/,
      allowedWrongType: /allowedHeaders: 42/,
      wrongTypeInDelegate: /\(req, cb\).*(credentials: ('true'|1)|methods: 42|maxAge: true|optionsSuccessStatus: '200')/,
      // `*` strings that are not valid patterns: at top level, in arrays, from delegates and origin callbacks
      starLiteral: STAR_SOURCE,
      starInArray: new RegExp('\\[[^\\]]*' + STAR_SOURCE.source),
      starInDelegate: new RegExp('\\(req, cb\\).*' + STAR_SOURCE.source),
      starInOriginFn: new RegExp('\\(origin, cb\\).*' + STAR_SOURCE.source),
      publicSuffixStar: /"https:\/\/\*\.(de|com|amazonaws\.com|core\.windows\.net|railway\.app|github\.io)"/,
      deepArray: /\[{65}/
    }
    const reqProbes = { lower: 0, noOrigin: 0, nullOrigin: 0, emptyOrigin: 0, acrh: 0, preVary: 0, preVaryArray: 0, head: 0, options: 0 }
    for (let i = 0; i < 2000; i++) {
      const c = genCase(i)
      for (const [k, re] of Object.entries(probes)) if (re.test(c.optionsSrc)) bump(k)
      for (const r of c.requests) {
        if (r.methodOverride === 'options') reqProbes.lower++
        if (r.origin === undefined) reqProbes.noOrigin++
        if (r.origin === 'null') reqProbes.nullOrigin++
        if (r.origin === '') reqProbes.emptyOrigin++
        if (r.acrh !== undefined) reqProbes.acrh++
        if (r.pre && r.pre.some(([n]) => n === 'Vary')) reqProbes.preVary++
        if (r.pre && r.pre.some(([n, v]) => n === 'Vary' && Array.isArray(v))) reqProbes.preVaryArray++
        if (r.method === 'HEAD') reqProbes.head++
        if (r.method === 'OPTIONS') reqProbes.options++
      }
      // every generated source must evaluate
      expect(() => buildMiddleware(corsRef, c.optionsSrc)).not.toThrow()
    }
    for (const k of Object.keys(probes)) expect([k, (seen.get(k) || 0) > 5]).toEqual([k, true])
    for (const [k, v] of Object.entries(reqProbes)) expect([k, v > 5]).toEqual([k, true])
  })

  test('the harness detects a deliberately broken implementation', async () => {
    // cors with one subtle fault: Vary is not merged for pre-existing values (overwritten instead)
    const broken = (opts) => {
      const mw = corsRef(opts)
      return function corsMiddleware (req, res, next) {
        const prev = res.getHeader('Vary')
        if (prev !== undefined && String(prev).toLowerCase() === 'foo') res.removeHeader('Vary')
        return mw(req, res, next)
      }
    }
    const indices = Array.from({ length: 600 }, (_, i) => i)
    const stats = await runDifferential(corsRef, broken, { indices })
    expect(stats.cases).toBe(600)
    expect(stats.mismatches.length).toBeGreaterThan(0)
    expect(Object.keys(stats.mismatchKinds)).toContain('wire.rawHeaders')
  })
})

describe('documented construction-time differences (cors itself breaks on these)', () => {
  let impl
  beforeAll(() => { impl = loadImpl() })
  const skip = SELFTEST ? test.skip : test

  skip.each([
    ['methods: undefined', { methods: undefined }],
    ['methods: null', { methods: null }],
    ['optionsSuccessStatus: undefined', { optionsSuccessStatus: undefined }]
  ])('%s throws a TypeError at construction in rust-cors', (_, opts) => {
    expect(() => impl(opts)).toThrow(TypeError)
  })

  // Values of the wrong type that cors answers with (it ignores them, or writes them verbatim): no
  // TypeError, the same answers as cors (the generated cases above), a RustCorsWarning
  // RUST_CORS_INVALID_OPTION naming the option; with strict: true that warning is a TypeError.
  skip.each([
    ["credentials: 'true'", { credentials: 'true' }, 'credentials'],
    ['credentials: 1', { credentials: 1 }, 'credentials'],
    ['methods: 5', { methods: 5 }, 'methods'],
    ['allowedHeaders: 5', { allowedHeaders: 5 }, 'allowedHeaders'],
    ['headers: 5', { headers: 5 }, 'headers'],
    ['exposedHeaders: 5', { exposedHeaders: 5 }, 'exposedHeaders'],
    ['maxAge: true', { maxAge: true }, 'maxAge'],
    ['maxAge: [1, 2]', { maxAge: [1, 2] }, 'maxAge'],
    ["optionsSuccessStatus: '200'", { optionsSuccessStatus: '200' }, 'optionsSuccessStatus'],
    ['optionsSuccessStatus: 204.5', { optionsSuccessStatus: 204.5 }, 'optionsSuccessStatus']
  ])('wrong type %s: built like cors builds it; strict: true throws a TypeError naming the option', (_, opts, name) => {
    expect(() => corsRef(opts)).not.toThrow()
    const emitWarning = process.emitWarning
    process.emitWarning = () => {}
    try {
      expect(() => impl(opts)).not.toThrow()
    } finally {
      process.emitWarning = emitWarning
    }
    let err
    try { impl({ ...opts, strict: true }) } catch (e) { err = e }
    expect(err).toBeInstanceOf(TypeError)
    expect(err.code).toBe('RUST_CORS_INVALID_OPTION')
    expect(err.message).toContain('`' + name + '`')
  })

  test('cors itself throws on a preflight with methods: undefined (why the case is excluded)', () => {
    const mw = corsRef({ methods: undefined })
    const req = { method: 'OPTIONS', headers: {} }
    const res = { getHeader () {}, setHeader () {}, end () {} }
    expect(() => mw(req, res, () => {})).toThrow(TypeError)
  })

  skip('same factory shape as cors: a 3-argument middleware, exported as default and rustCors too', () => {
    const mw = impl()
    const ref = corsRef()
    expect(typeof mw).toBe('function')
    expect(mw.length).toBe(ref.length)
    expect(mw.name).toBe(ref.name) // 'corsMiddleware': visible in Express's router stack (app._router.stack)
    expect(impl.default).toBe(impl)
    expect(impl.rustCors).toBe(impl)
    expect(typeof impl((req, cb) => cb(null, {}))).toBe('function')
  })
})

describe('type-only differences', () => {
  const pair = (name, a, b) => [
    { rec: { names: ['vary', name], values: [['string', 'Origin'], a] } },
    { rec: { names: ['vary', name], values: [['string', 'Origin'], b] } }
  ]
  test('only the pinned headers and types pass; any other type-only difference is a mismatch', () => {
    expect(isPinnedTypeDifference(...pair('access-control-allow-methods', ['number', 42], ['string', '42']))).toBe(true)
    expect(isPinnedTypeDifference(...pair('access-control-allow-headers', ['object', Object('X-A')], ['string', 'X-A']))).toBe(true)
    expect(isPinnedTypeDifference(...pair('access-control-max-age', ['number', 600], ['string', '600']))).toBe(false)
    expect(isPinnedTypeDifference(...pair('access-control-allow-origin', ['object', Object('*')], ['string', '*']))).toBe(false)
    expect(isPinnedTypeDifference(...pair('access-control-allow-methods', ['string', '42'], ['number', 42]))).toBe(false)
    expect(isPinnedTypeDifference(...pair('vary', ['array', ['Origin']], ['string', 'Origin']))).toBe(false)
    const [a, b] = pair('access-control-max-age', ['number', 600], ['string', '600'])
    expect(compareOne({ wire: {}, rec: a.rec }, { wire: {}, rec: b.rec })).toEqual(['server.valueTypes.unpinned'])
  })
})

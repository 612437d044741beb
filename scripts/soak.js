'use strict'

// `npm run soak` (node --expose-gc scripts/soak.js): memory, lifetime and load.
//
//   requests  1,000,000 requests over 100,000 distinct origins through one
//             policy with RegExps and patterns (mock req/res): RSS and heap,
//             sampled after gc, must settle (the verdict cache is bounded).
//   policies  100,000 policies (each with its own RegExps, so its own native
//             matcher) built, used once and dropped, in batches of 1,000 with
//             a turn of the event loop between: RSS stays flat and returns
//             near the baseline after gc (the finalizers free native memory).
//   delegate  100,000 distinct policies built through ONE options delegate
//             (a new origin and a new RegExp on every request), with a turn
//             of the event loop every 100 requests as a server has: RSS
//             after gc at the end vs after a 10,000-request warm-up (issue
//             10's target: < 100 MB growth).
//   workers   4 worker_threads build policies and serve requests at once;
//             one is terminated mid-flight: the process carries on.
//   load      autocannon, 100 connections for 30 s on 127.0.0.1 against
//             Express + rust-cors (a child process), a mix of allowed,
//             denied and preflight requests: 0 errors, 0 unexpected answers.
//
// Environment (the defaults are the full run; __test__/soak.test.js sets
// small ones): SOAK_PARTS=requests,policies,delegate,workers,load
// SOAK_REQUESTS  SOAK_ORIGINS  SOAK_POLICIES  SOAK_DELEGATE_POLICIES
// SOAK_DELEGATE_WARMUP  SOAK_WORKERS  SOAK_WORKER_MS  SOAK_LOAD_SECONDS
// SOAK_CONNECTIONS. `--json` prints the figures as one JSON line at the end.

const path = require('path')
const { fork } = require('child_process')
const { Worker } = require('worker_threads')

const root = path.join(__dirname, '..')
const MB = 1024 * 1024

function intEnv (name, dflt) {
  const v = Number.parseInt(process.env[name] || '', 10)
  return Number.isFinite(v) && v > 0 ? v : dflt
}

const CFG = {
  parts: (process.env.SOAK_PARTS || 'requests,policies,delegate,workers,load').split(',').map((s) => s.trim()),
  requests: intEnv('SOAK_REQUESTS', 1_000_000),
  origins: intEnv('SOAK_ORIGINS', 100_000),
  policies: intEnv('SOAK_POLICIES', 100_000),
  delegatePolicies: intEnv('SOAK_DELEGATE_POLICIES', 100_000),
  delegateWarmup: intEnv('SOAK_DELEGATE_WARMUP', 10_000),
  workers: intEnv('SOAK_WORKERS', 4),
  workerMs: intEnv('SOAK_WORKER_MS', 5000),
  loadSeconds: intEnv('SOAK_LOAD_SECONDS', 30),
  connections: intEnv('SOAK_CONNECTIONS', 100)
}
const JSON_OUT = process.argv.includes('--json')

function log (...args) {
  if (!JSON_OUT) console.log(...args)
  else console.error(...args)
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

// Full gc, with turns of the event loop between, so that N-API finalizers
// (which free the native matchers) get to run.
async function settle () {
  if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc')
  for (let i = 0; i < 4; i++) {
    global.gc()
    await tick()
  }
}

function mem () {
  const m = process.memoryUsage()
  return { rss: +(m.rss / MB).toFixed(1), heap: +(m.heapUsed / MB).toFixed(1), heapTotal: +(m.heapTotal / MB).toFixed(1), external: +(m.external / MB).toFixed(1) }
}

// A mock req/res with only what the middleware touches.
function mockRes () {
  const h = Object.create(null)
  return {
    statusCode: 200,
    getHeader (n) { return h[n.toLowerCase()] },
    setHeader (n, v) { h[n.toLowerCase()] = v },
    removeHeader (n) { delete h[n.toLowerCase()] },
    end () {},
    h
  }
}

const noop = () => {}

// -- 1. one policy, many requests and origins -------------------------------

async function partRequests (rustCors) {
  const mw = rustCors({
    origin: [
      /^https:\/\/o\d+\.example\.com$/,
      /^https:\/\/([a-z0-9-]+\.)*example\.org$/i,
      'https://*.example.net',
      'https://exact.example.io'
    ],
    credentials: true,
    exposedHeaders: ['X-Id'],
    maxAge: 600
  })
  const N = CFG.requests
  const O = CFG.origins
  const kinds = ['https://o%.example.com', 'https://o%.evil.com', 'https://s%.example.net', 'https://x%.example.org']
  const samples = []
  let mismatches = 0
  await settle()
  const base = mem()
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < N; i++) {
    const k = i % O
    const kind = (i / O | 0) % kinds.length
    const origin = kinds[(k + kind) % kinds.length].replace('%', String(k))
    const res = mockRes()
    const method = i % 4 === 3 ? 'OPTIONS' : 'GET'
    mw({ method, headers: { origin, 'access-control-request-headers': 'x-a' } }, res, noop)
    const allowed = !origin.includes('.evil.')
    if ((res.h['access-control-allow-origin'] === origin) !== allowed) mismatches++
    if ((i + 1) % (N / 10) === 0) {
      await settle()
      samples.push(Object.assign({ requests: i + 1 }, mem()))
    }
  }
  const ns = Number(process.hrtime.bigint() - t0)
  const second = samples[Math.floor(samples.length / 5)] || samples[0]
  const last = samples[samples.length - 1]
  const r = {
    requests: N,
    origins: O * kinds.length,
    mismatches,
    nsPerRequest: Math.round(ns / N),
    base,
    samples,
    rssGrowthAfter20pct: +(last.rss - second.rss).toFixed(1),
    heapGrowthAfter20pct: +(last.heap - second.heap).toFixed(1)
  }
  log(`\n[requests] ${N.toLocaleString('en-US')} requests over ${(O * kinds.length).toLocaleString('en-US')} distinct origins, ${r.nsPerRequest} ns/request, ${mismatches} wrong answers`)
  log(`  baseline rss ${base.rss} MB heap ${base.heap} MB`)
  for (const s of samples) log(`  after ${s.requests.toString().padStart(8)}: rss ${s.rss} MB  heap ${s.heap} MB  external ${s.external} MB`)
  log(`  growth from 20% to 100%: rss ${r.rssGrowthAfter20pct} MB, heap ${r.heapGrowthAfter20pct} MB`)
  return r
}

// -- 2. many policies built and dropped ------------------------------------

function buildPolicy (rustCors, i) {
  return rustCors({
    origin: [
      new RegExp(`^https:\\/\\/([a-z0-9-]+\\.)?tenant${i}\\.example\\.com$`),
      new RegExp(`^https:\\/\\/app${i}-[a-z]+\\.example\\.org$`, 'i'),
      `https://*.t${i}.example.net`,
      `https://exact${i}.example.io`
    ],
    methods: ['GET', 'POST', 'X-M' + i],
    allowedHeaders: ['Content-Type', 'X-H' + i],
    credentials: true,
    maxAge: i % 86400
  })
}

async function partPolicies (rustCors) {
  const P = CFG.policies
  await settle()
  // warm up: the first policies load code and fill allocator pools
  for (let i = 0; i < 1000; i++) buildPolicy(rustCors, -i - 1)({ method: 'GET', headers: { origin: 'https://x' } }, mockRes(), noop)
  await settle()
  const base = mem()
  const samples = []
  let peak = base.rss
  let wrong = 0
  const t0 = Date.now()
  const batch = 1000
  for (let start = 0; start < P; start += batch) {
    let live = []
    for (let i = start; i < Math.min(P, start + batch); i++) {
      const mw = buildPolicy(rustCors, i)
      const res = mockRes()
      const origin = `https://a.tenant${i}.example.com`
      mw({ method: 'GET', headers: { origin } }, res, noop)
      if (res.h['access-control-allow-origin'] !== origin) wrong++
      live.push(mw)
    }
    peak = Math.max(peak, process.memoryUsage().rss / MB)
    live = null
    // Node-API finalizers (which free the native matchers) run from the
    // event loop: a server yields between requests, and so does this loop
    // between batches. (A synchronous loop that builds 10,000 policies holds
    // them all until it yields: ~370 MB, see the report.)
    await tick()
    if ((start + batch) % (P / 10) < batch || start + batch >= P) {
      await settle()
      samples.push(Object.assign({ policies: Math.min(P, start + batch) }, mem()))
    }
  }
  await settle()
  await new Promise((resolve) => setTimeout(resolve, 100))
  await settle()
  const after = mem()
  const r = {
    policies: P,
    wrong,
    msPerPolicy: +((Date.now() - t0) / P).toFixed(3),
    base,
    peakRss: +peak.toFixed(1),
    after,
    samples,
    rssAboveBaseline: +(after.rss - base.rss).toFixed(1),
    heapAboveBaseline: +(after.heap - base.heap).toFixed(1)
  }
  log(`\n[policies] ${P.toLocaleString('en-US')} policies (4 RegExps/patterns each) built, used and dropped, ${r.msPerPolicy} ms each, ${wrong} wrong answers`)
  log(`  baseline rss ${base.rss} MB heap ${base.heap} MB; peak rss ${r.peakRss} MB`)
  for (const s of samples) log(`  after ${s.policies.toString().padStart(7)}: rss ${s.rss} MB  heap ${s.heap} MB (of ${s.heapTotal} MB)`)
  log(`  after gc: rss ${after.rss} MB (${r.rssAboveBaseline >= 0 ? '+' : ''}${r.rssAboveBaseline} MB vs baseline), heap ${after.heap} MB`)
  return r
}

// -- 3. many policies through one delegate ---------------------------------

// Issue 10's memory row: RSS growth after gc, from the end of the warm-up to
// the end of the run.
const DELEGATE_GROWTH_TARGET_MB = 100

async function partDelegate (rustCors) {
  const N = CFG.delegatePolicies
  const WARM = CFG.delegateWarmup
  // One middleware for the whole run. Its delegate returns, for request i,
  // options never seen before: an exact origin and a RegExp of its own.
  const mw = rustCors(function tenantOptions (req, callback) {
    const id = req.tenantId
    callback(null, {
      origin: [`https://exact${id}.example.io`, new RegExp(`^https:\\/\\/([a-z0-9-]+\\.)?t${id}\\.example\\.com$`)],
      credentials: true
    })
  })
  let wrong = 0
  let peak = 0
  const serve = (i) => {
    const res = mockRes()
    const origin = i % 2 ? `https://exact${i}.example.io` : `https://a.t${i}.example.com`
    mw({ method: 'GET', headers: { origin }, tenantId: i }, res, noop)
    if (res.h['access-control-allow-origin'] !== origin || res.h['access-control-allow-credentials'] !== 'true') wrong++
  }
  const run = async (from, to, onSample) => {
    for (let i = from; i < to; i++) {
      serve(i)
      // a server yields between requests; finalizers run from the loop
      if (i % 100 === 99) {
        await tick()
        if (i % 1000 === 999) peak = Math.max(peak, process.memoryUsage().rss / MB)
      }
      if (onSample && (i + 1 - from) % Math.max(1, Math.floor((to - from) / 10)) === 0) await onSample(i + 1 - from)
    }
  }
  await settle()
  const start = mem()
  const t0 = Date.now()
  await run(-WARM, 0, null)
  await settle()
  const base = mem()
  const samples = []
  const t1 = Date.now()
  let sampling = 0
  await run(0, N, async (done) => {
    const t = Date.now()
    await settle()
    samples.push(Object.assign({ policies: done }, mem()))
    sampling += Date.now() - t
  })
  const msPerRequest = (Date.now() - t1 - sampling) / N
  await settle()
  await new Promise((resolve) => setTimeout(resolve, 100))
  await settle()
  const after = mem()
  const r = {
    policies: N,
    warmup: WARM,
    wrong,
    usPerRequest: +(msPerRequest * 1000).toFixed(1),
    warmupMs: t1 - t0,
    start,
    base,
    after,
    peakRss: +peak.toFixed(1),
    samples,
    rssGrowth: +(after.rss - base.rss).toFixed(1),
    heapGrowth: +(after.heap - base.heap).toFixed(1),
    externalGrowth: +(after.external - base.external).toFixed(1),
    targetMb: DELEGATE_GROWTH_TARGET_MB
  }
  r.meetsTarget = r.rssGrowth < DELEGATE_GROWTH_TARGET_MB
  log(`\n[delegate] ${N.toLocaleString('en-US')} distinct policies through one delegate (a new origin and RegExp per request, a turn of the event loop every 100), after a ${WARM.toLocaleString('en-US')}-request warm-up; ${r.usPerRequest} µs/request, ${wrong} wrong answers`)
  log(`  rss ${start.rss} MB at start, ${base.rss} MB after the warm-up (gc); peak ${r.peakRss} MB`)
  for (const s of samples) log(`  after ${s.policies.toString().padStart(7)}: rss ${s.rss} MB  heap ${s.heap} MB  external ${s.external} MB`)
  log(`  at the end (gc): rss ${after.rss} MB, heap ${after.heap} MB, external ${after.external} MB`)
  log(`  RSS growth after the warm-up: ${r.rssGrowth >= 0 ? '+' : ''}${r.rssGrowth} MB — ${r.meetsTarget ? 'PASS' : 'MISS'} (issue 10 target < ${DELEGATE_GROWTH_TARGET_MB} MB)`)
  return r
}

// -- 4. worker threads -------------------------------------------------------

const WORKER_SOURCE = `
'use strict'
const { parentPort, workerData } = require('worker_threads')
const rustCors = require(workerData.entry)
const noop = () => {}
function mockRes () {
  const h = Object.create(null)
  return { statusCode: 200, getHeader: (n) => h[n.toLowerCase()], setHeader: (n, v) => { h[n.toLowerCase()] = v }, removeHeader: (n) => { delete h[n.toLowerCase()] }, end: noop, h }
}
let requests = 0
let policies = 0
let wrong = 0
const until = Date.now() + workerData.ms
function round () {
  const id = workerData.id + '-' + policies
  const mw = rustCors({ origin: [new RegExp('^https:\\\\/\\\\/w' + workerData.id + '-[a-z0-9]+\\\\.example\\\\.com$'), 'https://*.w' + id + '.example.net'], credentials: true })
  policies++
  for (let i = 0; i < 200; i++) {
    const origin = i % 2 ? 'https://w' + workerData.id + '-' + (i * 7919 + policies) .toString(36) + '.example.com' : 'https://evil' + i + '.example.com'
    const res = mockRes()
    mw({ method: i % 3 ? 'GET' : 'OPTIONS', headers: { origin } }, res, noop)
    if ((res.h['access-control-allow-origin'] === origin) !== (i % 2 === 1)) wrong++
    requests++
  }
  if (policies % 20 === 0) parentPort.postMessage({ type: 'progress', requests, policies })
  if (Date.now() < until) setImmediate(round)
  else parentPort.postMessage({ type: 'done', requests, policies, wrong })
}
parentPort.postMessage({ type: 'ready' })
round()
`

async function partWorkers (rustCors) {
  const n = CFG.workers
  const t0 = Date.now()
  const results = await new Promise((resolve) => {
    const out = []
    let open = n
    for (let id = 0; id < n; id++) {
      // Worker 0 has no time budget of its own: it ends only by being terminated once busy, so a
      // slow machine (or a debug build) cannot let it finish first and fail the check.
      const ms = id === 0 ? 10 * 60 * 1000 : CFG.workerMs
      const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { entry: root, id, ms } })
      const rec = { id, requests: 0, policies: 0, wrong: 0, done: false, terminated: false, exitCode: null, error: null }
      out.push(rec)
      w.on('message', (m) => {
        rec.requests = m.requests || rec.requests
        rec.policies = m.policies || rec.policies
        if (m.type === 'done') {
          rec.done = true
          rec.wrong = m.wrong
        }
        // terminate worker 0 mid-flight, once it is busy
        if (id === 0 && m.type === 'progress' && !rec.terminated && rec.policies >= 40) {
          rec.terminated = true
          w.terminate()
        }
      })
      w.on('error', (e) => { rec.error = String(e && e.stack ? e.stack : e) })
      w.on('exit', (code) => {
        rec.exitCode = code
        if (--open === 0) resolve(out)
      })
    }
    // and one more, terminated while it is still loading the addon
    const early = new Worker(WORKER_SOURCE, { eval: true, workerData: { entry: root, id: 99, ms: 10000 } })
    early.on('error', () => {})
    setTimeout(() => early.terminate(), 5)
  })
  // the main thread still works
  const res = mockRes()
  rustCors({ origin: [/^https:\/\/main\.example\.com$/] })({ method: 'GET', headers: { origin: 'https://main.example.com' } }, res, noop)
  const r = {
    workers: n,
    ms: Date.now() - t0,
    results,
    mainStillWorks: res.h['access-control-allow-origin'] === 'https://main.example.com',
    totalRequests: results.reduce((a, w) => a + w.requests, 0),
    totalPolicies: results.reduce((a, w) => a + w.policies, 0),
    wrong: results.reduce((a, w) => a + w.wrong, 0),
    errors: results.filter((w) => w.error).length
  }
  log(`\n[workers] ${n} worker threads for ${CFG.workerMs} ms (worker 0 terminated mid-flight, one more while loading)`)
  for (const w of results) {
    log(`  worker ${w.id}: ${w.policies} policies, ${w.requests} requests, ${w.terminated ? 'terminated' : w.done ? 'finished' : 'DID NOT FINISH'}, exit ${w.exitCode}${w.error ? ', error ' + w.error : ''}`)
  }
  log(`  main thread still serves: ${r.mainStillWorks}; ${r.wrong} wrong answers; ${r.errors} worker errors`)
  return r
}

// -- 5. load: autocannon against Express + rust-cors -------------------------

function serve () {
  const express = require('express')
  const rustCors = require(root)
  const app = express()
  app.use(rustCors({
    origin: ['https://app.example.com', /^https:\/\/([a-z0-9-]+\.)?example\.org$/, 'https://*.example.net'],
    credentials: true,
    allowedHeaders: ['Content-Type', 'Authorization'],
    exposedHeaders: ['X-Request-Id'],
    maxAge: 600
  }))
  app.all('/api', (req, res) => res.json({ ok: true }))
  const server = app.listen(0, '127.0.0.1', () => process.send({ type: 'port', port: server.address().port, mem: mem() }))
  server.keepAliveTimeout = 60000
  process.on('message', (m) => {
    if (m.type === 'mem') process.send({ type: 'mem', mem: mem() })
    if (m.type === 'stop') server.close(() => process.exit(0))
  })
}

async function partLoad () {
  const autocannon = require('autocannon')
  const child = fork(__filename, ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const ask = (type) => new Promise((resolve) => {
    child.once('message', resolve)
    child.send({ type })
  })
  const first = await new Promise((resolve, reject) => {
    child.once('message', resolve)
    child.once('exit', (c) => reject(new Error('server exited ' + c)))
  })
  const url = `http://127.0.0.1:${first.port}`
  const tally = { allowed: 0, denied: 0, preflight: 0, preflightDenied: 0, unexpected: 0, examples: [] }
  const expect = (name, ok) => (status, body, ctx, headers) => {
    tally[name]++
    const lower = {}
    for (const k of Object.keys(headers || {})) lower[k.toLowerCase()] = headers[k]
    if (!ok(status, lower)) {
      tally.unexpected++
      if (tally.examples.length < 5) tally.examples.push({ name, status, headers })
    }
  }
  const h = (headers, k) => headers[k]
  const requests = [
    { method: 'GET', path: '/api', headers: { origin: 'https://app.example.com' }, onResponse: expect('allowed', (s, hd) => s === 200 && h(hd, 'access-control-allow-origin') === 'https://app.example.com' && h(hd, 'access-control-allow-credentials') === 'true') },
    { method: 'GET', path: '/api', headers: { origin: 'https://evil.example.com' }, onResponse: expect('denied', (s, hd) => s === 200 && h(hd, 'access-control-allow-origin') === undefined) },
    { method: 'OPTIONS', path: '/api', headers: { origin: 'https://a.b.example.net', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' }, onResponse: expect('preflight', (s, hd) => s === 204 && h(hd, 'access-control-allow-origin') === 'https://a.b.example.net' && h(hd, 'access-control-max-age') === '600') },
    { method: 'GET', path: '/api', headers: { origin: 'https://shop.example.org' }, onResponse: expect('allowed', (s, hd) => s === 200 && h(hd, 'access-control-allow-origin') === 'https://shop.example.org') },
    { method: 'OPTIONS', path: '/api', headers: { origin: 'https://example.net.evil.io', 'access-control-request-method': 'DELETE' }, onResponse: expect('preflightDenied', (s, hd) => s === 204 && h(hd, 'access-control-allow-origin') === undefined) }
  ]
  log(`\n[load] autocannon: ${CFG.connections} connections for ${CFG.loadSeconds} s against Express + rust-cors at ${url}`)
  const result = await autocannon({ url, connections: CFG.connections, duration: CFG.loadSeconds, requests })
  const last = await ask('mem')
  await new Promise((resolve) => {
    child.once('exit', resolve)
    child.send({ type: 'stop' })
  })
  const r = {
    connections: CFG.connections,
    seconds: CFG.loadSeconds,
    requests: result.requests.total,
    rpsAverage: Math.round(result.requests.average),
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    tally,
    serverMemBefore: first.mem,
    serverMemAfter: last.mem
  }
  log(`  ${r.requests.toLocaleString('en-US')} requests, ${r.rpsAverage.toLocaleString('en-US')} req/s, latency p50 ${r.latencyP50} ms p99 ${r.latencyP99} ms`)
  log(`  errors ${r.errors}, timeouts ${r.timeouts}, non-2xx ${r.non2xx}, unexpected answers ${tally.unexpected} (allowed ${tally.allowed}, denied ${tally.denied}, preflight ${tally.preflight}, denied preflight ${tally.preflightDenied})`)
  if (tally.examples.length) log('  examples:', JSON.stringify(tally.examples))
  log(`  server rss ${r.serverMemBefore.rss} MB before, ${r.serverMemAfter.rss} MB after`)
  return r
}

async function main () {
  if (process.argv.includes('--serve')) return serve()
  const rustCors = require(root)
  // the policies above warn about nothing, but keep the output clean anyway
  process.removeAllListeners('warning')
  const out = { config: CFG, node: process.version }
  const t0 = Date.now()
  if (CFG.parts.includes('requests')) out.requests = await partRequests(rustCors)
  if (CFG.parts.includes('policies')) out.policies = await partPolicies(rustCors)
  if (CFG.parts.includes('delegate')) out.delegate = await partDelegate(rustCors)
  if (CFG.parts.includes('workers')) out.workers = await partWorkers(rustCors)
  if (CFG.parts.includes('load')) out.load = await partLoad()
  out.seconds = Math.round((Date.now() - t0) / 1000)

  const problems = []
  if (out.requests && out.requests.mismatches) problems.push(`requests: ${out.requests.mismatches} wrong answers`)
  if (out.policies && out.policies.wrong) problems.push(`policies: ${out.policies.wrong} wrong answers`)
  if (out.delegate && out.delegate.wrong) problems.push(`delegate: ${out.delegate.wrong} wrong answers`)
  if (out.workers && (out.workers.wrong || out.workers.errors || !out.workers.mainStillWorks)) problems.push('workers: wrong answers, errors or a broken main thread')
  if (out.workers && out.workers.results.some((w) => !w.terminated && !w.done)) problems.push('workers: a worker did not finish')
  if (out.load && (out.load.errors || out.load.timeouts || out.load.non2xx || out.load.tally.unexpected)) problems.push('load: errors, timeouts or unexpected answers')
  out.problems = problems

  log('\n== soak summary ==')
  if (out.requests) log(`requests: ${out.requests.requests.toLocaleString('en-US')} over ${out.requests.origins.toLocaleString('en-US')} origins; rss ${out.requests.samples[0].rss} -> ${out.requests.samples[out.requests.samples.length - 1].rss} MB (growth after 20%: ${out.requests.rssGrowthAfter20pct} MB), heap growth ${out.requests.heapGrowthAfter20pct} MB`)
  if (out.policies) log(`policies: ${out.policies.policies.toLocaleString('en-US')} built and dropped; rss baseline ${out.policies.base.rss} MB, peak ${out.policies.peakRss} MB, after gc ${out.policies.after.rss} MB (${out.policies.rssAboveBaseline} MB above)`)
  if (out.delegate) log(`delegate: ${out.delegate.policies.toLocaleString('en-US')} distinct policies through one delegate; rss after gc ${out.delegate.base.rss} MB after the warm-up -> ${out.delegate.after.rss} MB at the end (${out.delegate.rssGrowth >= 0 ? '+' : ''}${out.delegate.rssGrowth} MB; target < ${out.delegate.targetMb} MB: ${out.delegate.meetsTarget ? 'PASS' : 'MISS'}), peak ${out.delegate.peakRss} MB`)
  if (out.workers) log(`workers: ${out.workers.workers} threads, ${out.workers.totalPolicies.toLocaleString('en-US')} policies, ${out.workers.totalRequests.toLocaleString('en-US')} requests, one terminated mid-flight; process alive`)
  if (out.load) log(`load: ${out.load.requests.toLocaleString('en-US')} requests in ${out.load.seconds} s (${out.load.rpsAverage.toLocaleString('en-US')} req/s, p99 ${out.load.latencyP99} ms), ${out.load.errors} errors, ${out.load.non2xx} non-2xx, ${out.load.tally.unexpected} unexpected`)
  log(problems.length ? 'PROBLEMS: ' + problems.join('; ') : `all good in ${out.seconds} s`)
  if (JSON_OUT) console.log(JSON.stringify(out))
  process.exitCode = problems.length ? 1 : 0
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})

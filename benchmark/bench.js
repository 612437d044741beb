#!/usr/bin/env node
'use strict'

// npm run bench [-- --quick] [-- --impl=cors] [-- --only=substr] [-- --no-fresh]
//
// cors@2.8.6 vs rust-cors in one process, per row A/B/floor interleaved over
// several rounds (tinybench, batched samples), medians reported. Mock req/res
// rows, then real http.ServerResponse rows, extra rotating-origin rows, worst
// cases and the backtracking origin. Writes benchmark/results.json and
// benchmark/results.svg and prints a markdown table. Not a test: nothing here
// fails the process on a missed target (exit code is 0 unless something broke).

const path = require('node:path')
const fs = require('node:fs')
const { performance } = require('node:perf_hooks')
const H = require('./harness')
const S = require('./scenarios')
const report = require('./report')

const argv = process.argv.slice(2)
const flag = (name) => argv.includes(`--${name}`)
const opt = (name, dflt) => {
  const a = argv.find((x) => x.startsWith(`--${name}=`))
  return a ? a.slice(name.length + 3) : dflt
}
const env = (name, dflt) => (process.env[name] !== undefined && process.env[name] !== '' ? Number(process.env[name]) : dflt)

const QUICK = flag('quick')
const CFG = {
  quick: QUICK,
  // Many short rounds: on this shared 2-vCPU box throughput flips between two
  // levels (SMT sibling / neighbour load) on a scale of tens of ms, so A, B and
  // floor are measured close together and ratios are taken per round.
  rounds: env('BENCH_ROUNDS', QUICK ? 5 : 21),
  roundMs: env('BENCH_ROUND_MS', QUICK ? 5 : 12), // per task per round
  warmMs: env('BENCH_WARM_MS', QUICK ? 25 : 80), // per task, once per row
  batchUs: env('BENCH_BATCH_US', QUICK ? 100 : 200), // target wall time per sample
  backtrackN: QUICK ? [24, 28] : [24, 26, 28, 30],
  fresh: !flag('no-fresh'),
  only: opt('only', null),
  impl: opt('impl', 'rust-cors')
}

const TARGETS = {
  static: { vsCors: 0.33 },
  big: { vsCors: 0.1 },
  preflight: { vsCors: 0.5 },
  dynamic: {},
  realFloor: 1.3,
  realFloorDynamic: 2.0,
  acrhVsDefault: 20,
  backtrackMs: 0.1
}

let sink = 0
const now = () => performance.now()

function pickFactory (mod) {
  if (typeof mod === 'function') return mod
  if (mod && typeof mod.default === 'function') return mod.default
  if (mod && typeof mod.cors === 'function') return mod.cors
  throw new Error('implementation does not export a cors-compatible function')
}

function implId () {
  return CFG.impl === 'cors' ? 'cors' : H.ROOT
}

// Fresh cors + rust-cors JS for every row: one cache clear, then require both.
function loadBoth () {
  if (CFG.fresh) H.loadFresh('cors', true) // clears cache for both
  const cors = pickFactory(require('cors'))
  const rust = pickFactory(require(implId()))
  return { cors, rust }
}

function median (xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function quantile (xs, q) {
  const s = [...xs].sort((a, b) => a - b)
  const i = (s.length - 1) * q
  const lo = Math.floor(i)
  return lo === i ? s[lo] : s[lo] + (s[lo + 1] - s[lo]) * (i - lo)
}

function perCallMs (loop, ms) {
  loop(1)
  let n = 1
  let calls = 0
  const t0 = now()
  let t = 0
  while ((t = now() - t0) < ms) {
    sink += loop(n)
    calls += n
    if (n < 4096) n *= 2
  }
  return t / Math.max(calls, 1)
}

function makeTaskFn (loop, batch) {
  return () => {
    const t0 = now()
    sink += loop(batch)
    const dt = now() - t0
    return { overriddenDuration: dt / batch, overriddenIterationCost: dt }
  }
}

function buildSide (mw, reqs, resKind) {
  const makeRes = resKind === 'mock' ? () => new H.MockResponse() : (req) => H.realRes(req)
  const reset = resKind === 'mock' ? H.resetMock : H.resetReal
  const res = makeRes(reqs[0])
  return { loop: H.makeLoop(mw, reqs, res, reset), makeRes, reset }
}

function runRow (Bench, shape, resKind) {
  const { cors, rust } = loadBoth()
  const reqSpecs = shape.pool || [shape.req]
  const reqs = reqSpecs.map((r) => (resKind === 'mock' ? H.mockReq(r.method, r.headers) : H.realReq(r.method, r.headers)))

  // A side's middleware: shape.make(factory) for rows that build the
  // middleware per request (their own wrapper), else factory(options). Rows
  // with `corsEquivalent` (patterns) do not time cors: its equivalent (a list
  // of RegExps) only serves the parity check and the floor.
  const build = (factory) => (shape.make ? shape.make(factory) : factory(shape.opts()))
  const timeCors = !shape.corsEquivalent
  const mwA = timeCors ? build(cors) : cors(shape.corsEquivalent())
  let mwB
  try {
    mwB = build(rust)
  } catch (err) {
    return { id: shape.id, label: shape.label, kind: shape.kind, res: resKind, error: `rust-cors threw at construction: ${err.message}` }
  }

  const A = buildSide(mwA, reqs, resKind)
  const B = buildSide(mwB, reqs, resKind)

  // parity: same headers / status / next as cors on the first request
  const obsA = H.observe(mwA, reqs[0], A.makeRes, A.reset)
  let obsB
  try {
    obsB = H.observe(mwB, reqs[0], B.makeRes, B.reset)
  } catch (err) {
    return { id: shape.id, label: shape.label, kind: shape.kind, res: resKind, error: `rust-cors threw: ${err.message}` }
  }
  const parity = H.sameObservation(obsA, obsB)

  const rec = H.recordCalls(mwA, reqs[0], A.makeRes, A.reset)
  const floorMw = H.makeFloor(rec.calls, { status: rec.status, ended: rec.ended, next: rec.next, echoOrigin: !!shape.pool })
  const F = buildSide(floorMw, reqs, resKind)
  const obsF = H.observe(floorMw, reqs[0], F.makeRes, F.reset)
  const floorParity = H.sameObservation(obsA, obsF)

  // Rows over many tenants: every request of the pool once on each side
  // first, so that what is timed is the steady state of an app that has
  // seen its tenants (not their first requests).
  if (shape.prewarm) {
    if (timeCors) A.loop(reqs.length)
    B.loop(reqs.length)
  }
  // warm up all three (JIT tiers), then size the batch from the slower side
  const tA = timeCors ? perCallMs(A.loop, CFG.warmMs) : 0
  const tB = perCallMs(B.loop, CFG.warmMs)
  perCallMs(F.loop, CFG.warmMs / 2)
  const slow = Math.max(tA, tB)
  const batch = Math.max(1, Math.min(20000, Math.round((CFG.batchUs / 1000) / slow)))

  const names = { A: 'cors', B: 'rust-cors', F: 'floor' }
  const loops = { A: A.loop, B: B.loop, F: F.loop }
  const orders = [['A', 'B', 'F'], ['F', 'B', 'A'], ['B', 'A', 'F'], ['F', 'A', 'B'], ['A', 'F', 'B'], ['B', 'F', 'A']]
    .map((order) => order.filter((k) => timeCors || k !== 'A'))
  const timed = timeCors ? ['A', 'B', 'F'] : ['B', 'F']
  const rounds = { A: [], B: [], F: [] }
  for (let r = 0; r < CFG.rounds; r++) {
    const bench = new Bench({
      name: `${shape.id}/${resKind}/r${r}`,
      time: CFG.roundMs,
      iterations: 5,
      warmupTime: Math.min(2, CFG.roundMs / 4),
      warmupIterations: 2,
      throws: true
    })
    for (const k of orders[r % orders.length]) bench.add(names[k], makeTaskFn(loops[k], batch), { async: false })
    bench.runSync()
    for (const k of timed) {
      const t = bench.getTask(names[k])
      rounds[k].push(t.result.latency.p50 * 1e6) // ms -> ns
    }
  }
  const med = { A: timeCors ? median(rounds.A) : undefined, B: median(rounds.B), F: median(rounds.F) }
  // ratios: median of the per-round ratios (A, B, F of one round ran within
  // ~3 x roundMs of each other), robust to the box switching speed between rounds
  const rc = timeCors ? rounds.B.map((b, i) => b / rounds.A[i]) : []
  const rf = rounds.B.map((b, i) => b / rounds.F[i])
  return {
    id: shape.id,
    label: shape.label,
    kind: shape.kind,
    res: resKind,
    pool: shape.pool ? shape.pool.length : 1,
    batch,
    cors: med.A,
    rust: med.B,
    floor: med.F,
    rounds,
    ratioCors: timeCors ? median(rc) : undefined,
    ratioFloor: median(rf),
    spreadCors: timeCors ? [quantile(rc, 0.25), quantile(rc, 0.75)] : undefined,
    corsTimed: timeCors,
    spreadFloor: [quantile(rf, 0.25), quantile(rf, 0.75)],
    parity,
    floorParity,
    obsCors: parity ? undefined : obsA,
    obsRust: parity ? undefined : obsB
  }
}

// Issue 10's figures for a row (shape.target[res]): rust/cors, rust/floor,
// absolute rust-cors ns.
function issueChecks (row, target) {
  const checks = []
  if (target.vsCors !== undefined) checks.push({ what: 'rust/cors', value: row.ratioCors, limit: target.vsCors, ok: row.ratioCors <= target.vsCors, issue10: true })
  if (target.vsFloor !== undefined) checks.push({ what: 'rust/floor', value: row.ratioFloor, limit: target.vsFloor, ok: row.ratioFloor <= target.vsFloor, issue10: true })
  if (target.absNs !== undefined) checks.push({ what: 'rust ns', value: row.rust, limit: target.absNs, ok: row.rust <= target.absNs, issue10: true })
  return checks
}

function evaluate (row, byId, shape) {
  const checks = []
  if (row.error) return [{ what: 'runs', ok: false, detail: row.error }]
  if (shape && shape.target) return shape.target[row.res] ? issueChecks(row, shape.target[row.res]) : checks
  if (shape && shape.issue19) return shape.issue19[row.res] ? issueChecks(row, shape.issue19[row.res]).map((c) => ({ ...c, issue10: false })) : checks
  if (row.kind === 'acrh') {
    const base = byId.get(`pf-default/${row.res}`)
    if (base && !base.error) {
      const x = row.rust / base.rust
      row.vsDefaultPreflight = x
      if (row.res === 'mock') checks.push({ what: 'rust ACRH10k / rust default preflight', value: x, limit: TARGETS.acrhVsDefault, ok: x <= TARGETS.acrhVsDefault })
    }
    return checks
  }
  if (row.kind === 'worst') return checks
  if (row.res === 'mock') {
    const t = TARGETS[row.kind]
    if (t && t.vsCors !== undefined) checks.push({ what: 'rust/cors', value: row.ratioCors, limit: t.vsCors, ok: row.ratioCors <= t.vsCors })
  } else {
    const limit = row.kind === 'dynamic' ? TARGETS.realFloorDynamic : TARGETS.realFloor
    checks.push({ what: 'rust/floor', value: row.ratioFloor, limit, ok: row.ratioFloor <= limit })
  }
  return checks
}

function fmtNs (ns) {
  if (ns === undefined || Number.isNaN(ns)) return '—'
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`
  if (ns >= 1e4) return `${(ns / 1e3).toFixed(1)} µs`
  return `${Math.round(ns)}`
}

function statusText (checks) {
  if (!checks.length) return ''
  return checks.map((c) => {
    if (c.value === undefined) return `MISS (${c.detail})`
    const v = c.what === 'rust ns' ? `${Math.round(c.value)} ns` : c.value.toFixed(c.value < 0.1 ? 3 : 2)
    if (c.info) return `info ${v} vs ${c.limit}`
    return c.ok ? `PASS (${v} ≤ ${c.limit})` : `MISS (${v} > ${c.limit}, ${((c.value / c.limit - 1) * 100).toFixed(0)}% over)`
  }).join('; ')
}

function progressLine (row) {
  if (row.error) return `  ${row.res.padEnd(4)} ${row.label.padEnd(52)} ERROR ${row.error}`
  const par = row.parity ? '' : '  [headers differ from cors]'
  const fpar = row.floorParity ? '' : '  [floor differs]'
  const rc = row.ratioCors === undefined ? '  —  ' : row.ratioCors.toFixed(3)
  return `  ${row.res.padEnd(4)} ${row.label.padEnd(52)} cors ${fmtNs(row.cors).padStart(8)}  rust ${fmtNs(row.rust).padStart(8)}  floor ${fmtNs(row.floor).padStart(8)}` +
    `  r/c ${rc}  r/f ${row.ratioFloor.toFixed(2)}  ${statusText(row.checks || [])}${par}${fpar}`
}

// ------------------------------------------------------------- backtracking

function backtrack (Bench) {
  const { cors, rust } = loadBoth()
  const out = { pattern: String(S.BACKTRACK_RE), n: 28, cors: [], rust: null }
  // rust-cors: one cold call first (guards against a JS-RegExp fallback that
  // would take seconds), then a short batched measurement.
  const req = H.mockReq('GET', { origin: S.backtrackOrigin(28) })
  const res = new H.MockResponse()
  let mw
  try {
    mw = rust({ origin: [S.BACKTRACK_RE] })
  } catch (err) {
    out.rust = { error: `construction threw: ${err.message}` }
    return out
  }
  const next = () => { sink++ }
  let t0 = now()
  try {
    mw(req, res, next)
  } catch (err) {
    out.rust = { error: `threw: ${err.message}` }
    return out
  }
  const firstMs = now() - t0
  const obsRust = H.observe(mw, req, () => new H.MockResponse(), H.resetMock)
  out.rust = { firstCallMs: firstMs, allowed: obsRust.headers.some(([k]) => k === 'access-control-allow-origin') }
  if (firstMs < 20) {
    const loop = H.makeLoop(mw, [req], res, H.resetMock)
    perCallMs(loop, CFG.warmMs / 2)
    const samples = []
    for (let r = 0; r < CFG.rounds; r++) samples.push(perCallMs(loop, CFG.roundMs / 2))
    out.rust.medianMs = median(samples)
  } else {
    out.rust.medianMs = firstMs
    out.rust.note = 'first call too slow to loop; figure is that single call'
  }
  // cors: once per n, timed, never looped
  for (const n of CFG.backtrackN) {
    const m = cors({ origin: [S.BACKTRACK_RE] })
    const r = H.mockReq('GET', { origin: S.backtrackOrigin(n) })
    const rs = new H.MockResponse()
    t0 = now()
    m(r, rs, next)
    out.cors.push({ n, ms: now() - t0 })
  }
  const last = out.cors[out.cors.length - 1]
  const prev = out.cors.length > 1 ? out.cors[out.cors.length - 2] : null
  out.growthPerA = prev ? Math.pow(last.ms / prev.ms, 1 / (last.n - prev.n)) : 2
  const at28 = out.cors.find((c) => c.n === 28)
  out.corsAt28Ms = at28 ? at28.ms : last.ms * Math.pow(out.growthPerA, 28 - last.n)
  out.corsAt28Extrapolated = !at28
  out.aForOneSecond = last.n + Math.ceil(Math.log(1000 / last.ms) / Math.log(out.growthPerA))
  out.check = { what: 'rust-cors backtracking origin', value: out.rust.medianMs, limit: TARGETS.backtrackMs, ok: out.rust.medianMs < TARGETS.backtrackMs }
  return out
}

// Issue 10's acceptance list, from the rows of this run: the issue rows'
// own targets, and every real-ServerResponse row of the standard set
// (rust/floor <= 1.3 static, <= 2.0 delegate and callback).
function withUnit (ns) {
  const text = fmtNs(ns)
  return /^[0-9]+$/.test(text) ? `${text} ns` : text
}

function acceptanceList (rows) {
  const out = []
  const fmt = (c) => (c.what === 'rust ns' ? `${Math.round(c.value)} ns (target ≤ ${c.limit} ns)` : `${c.what} ${Number(c.value).toFixed(2)} (target ≤ ${c.limit})`)
  for (const r of rows) {
    if (r.error) {
      if (r.section === 'issue 10: dynamic and large policies' || r.res === 'real') out.push({ ok: false, text: `${r.label} [${r.res}]: ERROR ${String(r.error).split('\n')[0]}` })
      continue
    }
    const abs = `rust ${withUnit(r.rust)}, cors ${withUnit(r.cors)}, floor ${withUnit(r.floor)}`
    for (const c of r.checks || []) {
      if (c.issue10 && !c.info) out.push({ ok: c.ok, text: `${r.label} [${r.res}]: ${fmt(c)}; ${abs}` })
    }
    if (r.res === 'real' && r.section === 'real req/res') {
      const limit = r.kind === 'dynamic' ? TARGETS.realFloorDynamic : TARGETS.realFloor
      out.push({ ok: r.ratioFloor <= limit, text: `real ServerResponse, ${r.label}: rust/floor ${r.ratioFloor.toFixed(2)} (target ≤ ${limit}); ${abs}` })
    }
  }
  return out
}

// Issue 19's acceptance list: its rows (shape.issue19, named as in the
// issue) and the real-ServerResponse rows of the standard set (allowed-origin
// rows <= 1.2x the floor, every other static row <= 1.15x).
function acceptance19 (rows, shapes) {
  const out = []
  for (const r of rows) {
    const shape = shapes.get(r.id)
    const abs = r.error ? '' : `rust ${withUnit(r.rust)}, cors ${withUnit(r.cors)}, floor ${withUnit(r.floor)}`
    const line = shape && shape.issue19 && shape.issue19[r.res]
    if (line) {
      if (r.error) {
        out.push({ ok: false, text: `${shape.issue19.label} [${r.res}]: ERROR ${String(r.error).split('\n')[0]}` })
        continue
      }
      for (const c of issueChecks(r, line)) out.push({ ok: c.ok, text: `${shape.issue19.label} [${r.res}]: ${c.what} ${c.value.toFixed(2)} (target ≤ ${c.limit}); ${abs}` })
    }
    if (r.res === 'real' && r.section === 'real req/res' && r.kind !== 'dynamic') {
      const allowed = S.ALLOWED_ORIGIN_ROWS.has(r.id)
      const limit = allowed ? S.REAL_FLOOR_19.allowed : S.REAL_FLOOR_19.other
      if (r.error) out.push({ ok: false, text: `real ServerResponse, ${r.label}: ERROR` })
      else out.push({ ok: r.ratioFloor <= limit, text: `real ServerResponse, ${allowed ? 'allowed-origin' : 'other'} row, ${r.label}: rust/floor ${r.ratioFloor.toFixed(2)} (target ≤ ${limit}); ${abs}` })
    }
  }
  return out
}

// ------------------------------------------------------------------- main

async function main () {
  const { Bench } = await import('tinybench')
  const started = Date.now()

  try {
    loadBoth()
  } catch (err) {
    console.error(`cannot load the implementation (${implId()}): ${err.message}`)
    console.error('build it first (npm run build), or run the harness self-test with --impl=cors')
    process.exit(2)
  }

  const sys = report.systemInfo()
  console.log(`rust-cors benchmark — ${sys.cpu} ×${sys.cores}, Node ${sys.node}, ${CFG.quick ? 'QUICK' : 'full'} run, ` +
    `${CFG.rounds} rounds × ${CFG.roundMs} ms per task, impl=${CFG.impl}${CFG.fresh ? '' : ', no fresh modules'}`)
  console.log('  ns/op medians; r/c = rust-cors/cors, r/f = rust-cors/floor (same setHeader/end calls, constant strings)\n')

  // Process warm-up, discarded: Node's setHeader sites (see harness), tinybench
  // itself and the first cors/rust-cors load would otherwise bias the first rows.
  H.prewarmRealResponse()
  const savedRounds = CFG.rounds
  CFG.rounds = 2
  for (const resKind of ['mock', 'real']) {
    try { runRow(Bench, S.SHAPES[0], resKind) } catch {}
  }
  CFG.rounds = savedRounds
  const rows = []
  const want = (s) => !CFG.only || s.id.includes(CFG.only)
  const plan = []
  for (const resKind of ['mock', 'real']) for (const s of S.SHAPES) if (want(s)) plan.push([s, resKind])
  for (const s of S.EXTRA) if (want(s)) plan.push([s, 'mock'])
  for (const resKind of ['mock', 'real']) for (const s of S.WORST) if (want(s)) plan.push([s, resKind])
  for (const s of S.ISSUE10) for (const resKind of s.res || ['mock']) if (want(s)) plan.push([s, resKind])
  for (const s of S.ISSUE19) if (want(s)) plan.push([s, 'mock'])

  let section = ''
  for (const [shape, resKind] of plan) {
    const sec = S.ISSUE19.includes(shape) ? 'issue 19: many tenants, new origin lists, cold builds' : shape.target ? 'issue 10: dynamic and large policies' : shape.kind === 'worst' || shape.kind === 'acrh' ? 'worst cases' : shape.pool ? 'extra: rotating origins (defeats verdict caches)' : `${resKind} req/res`
    if (sec !== section) { section = sec; console.log(`— ${sec}`) }
    let row
    try {
      row = runRow(Bench, shape, resKind)
    } catch (err) {
      row = { id: shape.id, label: shape.label, kind: shape.kind, res: resKind, error: err.stack || String(err) }
    }
    row.section = sec
    rows.push(row)
    // acrh evaluation needs pf-default of the same res kind
    const byId = new Map(rows.map((r) => [`${r.id}/${r.res}`, r]))
    row.checks = evaluate(row, byId, shape)
    // rotating-origin rows are not in the issue's targets: shown, not counted
    if (shape.pool && !shape.target && !shape.issue19) for (const c of row.checks) c.info = true
    // a target a later issue replaced: shown, not counted
    if (shape.replaced) for (const c of row.checks) c.info = shape.replaced
    console.log(progressLine(row))
  }

  // The Fastify adapter beside @fastify/cors (benchmark/fastify.js).
  let fastify = null
  if (!CFG.only || CFG.only.startsWith('fastify')) {
    const F = require('./fastify')
    console.log('— Fastify adapter vs @fastify/cors 11.4.3')
    fastify = { hook: F.run({ quick: CFG.quick }), inject: await F.runInject({ quick: CFG.quick }) }
    console.log(F.markdown(fastify.hook) + '\n\n' + F.injectMarkdown(fastify.inject))
  }

  let bt = null
  // Skipped in the self-test (--impl=cors): cors on that origin takes seconds.
  if ((!CFG.only || 'backtrack'.includes(CFG.only)) && CFG.impl !== 'cors') {
    console.log('— backtracking origin')
    bt = backtrack(Bench)
    if (bt.rust && bt.rust.error) {
      console.log(`  rust-cors ERROR ${bt.rust.error}`)
    } else {
      console.log(`  rust-cors: ${(bt.rust.medianMs * 1000).toFixed(2)} µs/op (first call ${(bt.rust.firstCallMs * 1000).toFixed(1)} µs, allowed=${bt.rust.allowed})  ${bt.check.ok ? 'PASS' : 'MISS'} (target < ${TARGETS.backtrackMs} ms)`)
      console.log('  cors (each run once): ' + bt.cors.map((c) => `${c.n}×a ${c.ms.toFixed(2)} ms`).join(', ') +
        `; ×${bt.growthPerA.toFixed(2)} per extra 'a'; ≈1 s at ${bt.aForOneSecond}×a`)
    }
  }

  // The framework adapters (benchmark/adapters.js), in this same run.
  let adapters = []
  if (CFG.impl !== 'cors') {
    const adapterShapes = S.ADAPTERS.filter(want)
    if (adapterShapes.length) console.log('— adapters: rust-cors/koa vs @koa/cors, rust-cors/hono vs hono/cors (whole request through the framework)')
    adapters = await require('./adapters').runAdapters(CFG, adapterShapes, want)
  }

  const result = {
    generated: new Date().toISOString(),
    elapsedS: (Date.now() - started) / 1000,
    system: sys,
    config: CFG,
    targets: TARGETS,
    rows,
    adapters,
    backtrack: bt,
    fastify
  }
  const md = report.markdown(result)
  console.log('\n' + md)
  if (adapters.length) console.log('\n' + require('./adapters').markdown(adapters))

  const misses = []
  for (const r of rows) for (const c of r.checks || []) if (!c.ok && !c.info) misses.push(`${r.label} [${r.res}] ${statusText([c])}`)
  if (bt && bt.check && !bt.check.ok) misses.push(`backtracking: ${statusText([bt.check])}`)
  if (bt && bt.rust && bt.rust.error) misses.push(`backtracking: ${bt.rust.error}`)
  const diffs = rows.filter((r) => !r.error && !r.parity)
  const acceptance = acceptanceList(rows)
  result.acceptance = acceptance
  console.log(`\nissue 10 acceptance (${acceptance.filter((a) => a.ok).length} PASS, ${acceptance.filter((a) => !a.ok).length} MISS):`)
  for (const a of acceptance) console.log(`  ${a.ok ? 'PASS' : 'MISS'}  ${a.text}`)
  console.log('  (memory: 100,000 policies through one delegate, < 100 MB RSS growth: npm run soak, part "delegate")')
  const shapes = new Map([...S.SHAPES, ...S.EXTRA, ...S.WORST, ...S.ISSUE10, ...S.ISSUE19].map((shape) => [shape.id, shape]))
  const list19 = acceptance19(rows, shapes)
  result.acceptance19 = list19
  console.log(`\nissue 19 acceptance (${list19.filter((a) => a.ok).length} PASS, ${list19.filter((a) => !a.ok).length} MISS):`)
  for (const a of list19) console.log(`  ${a.ok ? 'PASS' : 'MISS'}  ${a.text}`)
  console.log('  (memory: 100,000 distinct tenants through one delegate after a 10,000 warm-up, < 100 MB RSS growth: npm run soak, part "delegate")')
  console.log(misses.length ? `MISSED TARGETS (${misses.length}):\n  ${misses.join('\n  ')}` : 'all targets PASS')
  if (diffs.length) {
    console.log(`\nheader differences vs cors (${diffs.length} rows; first 3):`)
    for (const r of diffs.slice(0, 3)) console.log(`  ${r.label} [${r.res}]\n    cors: ${JSON.stringify(r.obsCors)}\n    rust: ${JSON.stringify(r.obsRust)}`)
  }

  if (!CFG.only) {
    fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify(result, null, 2) + '\n')
    fs.writeFileSync(path.join(__dirname, 'results.svg'), report.svg(result))
    console.log(`\nwrote benchmark/results.json, benchmark/results.svg (${result.elapsedS.toFixed(0)} s)`)
  } else {
    console.log(`\n(--only: results.json/svg not written; ${result.elapsedS.toFixed(0)} s)`)
  }
  if (sink === 0.5) console.log('') // keep sink observable
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})

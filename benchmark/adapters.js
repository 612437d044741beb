'use strict'

// The framework adapters' rows of `npm run bench`: per-request cost of
// rust-cors/koa vs @koa/cors 5 and rust-cors/hono vs hono/cors, each
// measured in the same run as the original and as a baseline without CORS.
// A Koa request: app.createContext on a real http.ServerResponse, then the
// composed middleware (cors, then a handler setting a body); a Hono request:
// app.fetch() of a prebuilt Request through cors and a handler returning
// c.text(). Every side runs the same framework work, so `r/o` (rust-cors /
// original, whole request) is diluted by it; `cost r/o` compares the CORS
// part alone: (side - baseline) / (original - baseline).

const H = require('./harness')

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

// Koa: one context per request, as Koa's own request handler creates it.
function koaSide (Koa, compose, middleware, spec) {
  const app = new Koa()
  if (middleware) app.use(middleware)
  app.use((ctx) => { ctx.body = 'ok' })
  const fn = compose(app.middleware)
  const req = H.realReq(spec.method, spec.headers)
  const res = H.realRes(req)
  return async (n) => {
    for (let i = 0; i < n; i++) {
      H.resetReal(res)
      await fn(app.createContext(req, res))
    }
    return res.statusCode
  }
}

function honoSide (Hono, middleware, spec) {
  const app = new Hono()
  if (middleware) app.use('*', middleware)
  app.all('*', (c) => c.text('ok'))
  const request = new Request('http://localhost/api', { method: spec.method, headers: spec.headers })
  return async (n) => {
    let status = 0
    for (let i = 0; i < n; i++) {
      const res = await app.fetch(request)
      status += res.status
    }
    return status
  }
}

async function perCallNs (loop, ms) {
  let calls = 0
  const t0 = performance.now()
  let t = 0
  while (t < ms) {
    await loop(16)
    calls += 16
    t = performance.now() - t0
  }
  return (t * 1e6) / calls
}

// Many short rounds of baseline / original / rust-cors in rotating order (the
// shared box changes speed on a scale of tens of ms, so the three sides of a
// round run within a few ms of each other); the ratios are medians of the
// per-round ratios.
const ORDERS = [['none', 'original', 'rust'], ['rust', 'original', 'none'], ['original', 'rust', 'none'],
  ['none', 'rust', 'original'], ['original', 'none', 'rust'], ['rust', 'none', 'original']]

async function timeRow (loops, benchCfg) {
  const cfg = { warmMs: Math.max(benchCfg.warmMs, 200), roundMs: Math.max(benchCfg.roundMs / 2, 4), rounds: Math.max(benchCfg.rounds * 4, 30) }
  for (const k of ORDERS[0]) await perCallNs(loops[k], cfg.warmMs)
  const rounds = { none: [], original: [], rust: [] }
  for (let r = 0; r < cfg.rounds; r++) {
    for (const k of ORDERS[r % ORDERS.length]) rounds[k].push(await perCallNs(loops[k], cfg.roundMs))
  }
  const ratio = rounds.rust.map((b, i) => b / rounds.original[i])
  const cost = rounds.rust.map((b, i) => (b - rounds.none[i]) / Math.max(1, rounds.original[i] - rounds.none[i]))
  return {
    none: median(rounds.none),
    original: median(rounds.original),
    rust: median(rounds.rust),
    ratio: median(ratio),
    costRatio: median(cost)
  }
}

async function runAdapters (cfg, shapes, want) {
  const Koa = require('koa')
  const compose = require('koa-compose')
  const koaCors = require('@koa/cors')
  const rustKoa = require('../lib/koa')
  const { Hono } = require('hono')
  const { cors: honoCors } = require('hono/cors')
  const { cors: rustHono } = require('../lib/hono')
  const rows = []
  for (const shape of shapes) {
    if (!want(shape)) continue
    const loops = shape.framework === 'koa'
      ? {
          none: koaSide(Koa, compose, null, shape.req),
          original: koaSide(Koa, compose, koaCors(shape.opts()), shape.req),
          rust: koaSide(Koa, compose, rustKoa(shape.opts()), shape.req)
        }
      : {
          none: honoSide(Hono, null, shape.req),
          original: honoSide(Hono, honoCors(shape.opts()), shape.req),
          rust: honoSide(Hono, rustHono(shape.opts()), shape.req)
        }
    const row = { id: shape.id, label: shape.label, framework: shape.framework, ...(await timeRow(loops, cfg)) }
    console.log(`  ${row.framework.padEnd(4)} ${row.label.padEnd(44)} none ${fmt(row.none)}  original ${fmt(row.original)}  rust-cors ${fmt(row.rust)}  r/o ${row.ratio.toFixed(2)}  cost r/o ${row.costRatio.toFixed(2)}`)
    rows.push(row)
  }
  return rows
}

function fmt (ns) {
  return (ns >= 1000 ? (ns / 1000).toFixed(2) + ' µs' : ns.toFixed(0) + ' ns').padStart(9)
}

function markdown (rows) {
  const lines = [
    '| framework | row | no CORS | original | rust-cors | rust-cors / original | CORS cost, rust-cors / original |',
    '|---|---|---:|---:|---:|---:|---:|'
  ]
  for (const r of rows) {
    lines.push(`| ${r.framework} | ${r.label} | ${fmt(r.none).trim()} | ${fmt(r.original).trim()} | ${fmt(r.rust).trim()} | ${r.ratio.toFixed(2)} | ${r.costRatio.toFixed(2)} |`)
  }
  return lines.join('\n')
}

module.exports = { runAdapters, markdown }

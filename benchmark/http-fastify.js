#!/usr/bin/env node
'use strict'

// npm run bench:http:fastify
// autocannon on 127.0.0.1 against Fastify 5 with no CORS, @fastify/cors
// 11.4.3 and rust-cors/fastify, each server in its own child process
// (autocannon runs here), as benchmark/http.js does for Express.
// Env: BENCH_HTTP_CONNECTIONS (20), BENCH_HTTP_DURATION (6 s),
// BENCH_HTTP_WARMUP (2 s, not measured), BENCH_HTTP_ROUNDS (3; variants are
// interleaved per round, medians reported), BENCH_HTTP_CONFIG (list: two
// strings and a RegExp with credentials and maxAge | default | function).
//
// CORS's cost is each variant's drop from no CORS: in req/s, and in server
// CPU µs per request (the least noisy figure); the adapter's goal is at most
// a third of @fastify/cors's cost.

const path = require('node:path')
const fs = require('node:fs')
const os = require('node:os')
const http = require('node:http')
const { fork } = require('node:child_process')
const autocannon = require('autocannon')

const num = (k, d) => (process.env[k] ? Number(process.env[k]) : d)
const CFG = {
  connections: num('BENCH_HTTP_CONNECTIONS', 20),
  duration: num('BENCH_HTTP_DURATION', 6),
  warmup: num('BENCH_HTTP_WARMUP', 2),
  rounds: num('BENCH_HTTP_ROUNDS', 3),
  config: process.env.BENCH_HTTP_CONFIG || 'list',
  variants: ['none', '@fastify/cors', 'rust-cors/fastify']
}
const ORIGIN = 'https://app.example.com'

function startServer (variant) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'http-fastify-server.js'), [variant], {
      env: { ...process.env, BENCH_HTTP_CONFIG: CFG.config },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`${variant} server exited with ${code}`)))
    child.on('message', (m) => { if (m.type === 'listening') resolve({ child, port: m.port }) })
  })
}

let statsId = 0
function stats (child) {
  const id = ++statsId
  return new Promise((resolve) => {
    const on = (m) => { if (m.type === 'stats' && m.id === id) { child.off('message', on); resolve(m) } }
    child.on('message', on)
    child.send({ type: 'stats', id })
  })
}

function probe (port) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/', headers: { origin: ORIGIN } }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode, acao: res.headers['access-control-allow-origin'] || null }))
    }).on('error', reject)
  })
}

function cannon (port, duration) {
  return autocannon({
    url: `http://127.0.0.1:${port}/`,
    connections: CFG.connections,
    duration,
    headers: { origin: ORIGIN }
  })
}

async function measure (variant) {
  const { child, port } = await startServer(variant)
  child.removeAllListeners('exit')
  try {
    const p = await probe(port)
    if (CFG.warmup > 0) await cannon(port, CFG.warmup)
    const before = await stats(child)
    const r = await cannon(port, CFG.duration)
    const after = await stats(child)
    const served = after.requests - before.requests
    return {
      variant,
      probe: p,
      reqPerSec: r.requests.average,
      p99Ms: r.latency.p99,
      p50Ms: r.latency.p50,
      total: r.requests.total,
      errors: r.errors + r.timeouts,
      non2xx: r.non2xx,
      cpuUsPerReq: served > 0 ? (after.cpuUs - before.cpuUs) / served : NaN
    }
  } finally {
    child.send({ type: 'exit' })
    await new Promise((resolve) => { child.once('exit', resolve); setTimeout(() => { child.kill(); resolve() }, 2000).unref() })
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }

async function main () {
  const cpu = os.cpus()
  console.log(`bench:http:fastify — Fastify 5, autocannon -c ${CFG.connections} -d ${CFG.duration} (+${CFG.warmup} s warmup), ${CFG.rounds} round(s), ` +
    `config=${CFG.config}, ${cpu[0] ? cpu[0].model.trim() : '?'} ×${cpu.length}, Node ${process.version}`)
  const runs = Object.fromEntries(CFG.variants.map((v) => [v, []]))
  for (let r = 0; r < CFG.rounds; r++) {
    const order = r % 2 ? [...CFG.variants].reverse() : CFG.variants
    for (const v of order) {
      const m = await measure(v)
      runs[v].push(m)
      console.log(`  round ${r + 1} ${v.padEnd(18)} ${m.reqPerSec.toFixed(0).padStart(7)} req/s  p99 ${String(m.p99Ms).padStart(4)} ms  ` +
        `server CPU ${m.cpuUsPerReq.toFixed(0)} µs/req  (ACAO ${m.probe.acao === null ? 'absent' : JSON.stringify(m.probe.acao)}, errors ${m.errors}, non2xx ${m.non2xx})`)
    }
  }
  const rows = CFG.variants.map((v) => ({
    variant: v,
    reqPerSec: median(runs[v].map((x) => x.reqPerSec)),
    p99Ms: median(runs[v].map((x) => x.p99Ms)),
    cpuUsPerReq: median(runs[v].map((x) => x.cpuUsPerReq)),
    acao: runs[v][0].probe.acao
  }))
  const base = rows.find((x) => x.variant === 'none')
  const cost = {}
  console.log('\n| server | req/s | p99 latency | server CPU µs/req | CORS cost (req/s) | CORS cost (CPU µs/req) |')
  console.log('|---|---:|---:|---:|---:|---:|')
  for (const x of rows) {
    const name = x.variant === 'none' ? 'Fastify 5, no CORS' : `Fastify 5 + ${x.variant}`
    cost[x.variant] = { rps: 1 - x.reqPerSec / base.reqPerSec, cpu: x.cpuUsPerReq - base.cpuUsPerReq }
    const c = x.variant === 'none' ? '' : `${(cost[x.variant].rps * 100).toFixed(1)}%`
    const u = x.variant === 'none' ? '' : cost[x.variant].cpu.toFixed(1)
    console.log(`| ${name} | ${x.reqPerSec.toFixed(0)} | ${x.p99Ms} ms | ${x.cpuUsPerReq.toFixed(1)} | ${c} | ${u} |`)
  }
  const ratio = {
    rps: cost['rust-cors/fastify'].rps / cost['@fastify/cors'].rps,
    cpu: cost['rust-cors/fastify'].cpu / cost['@fastify/cors'].cpu
  }
  const text = (value, originalCost) => originalCost > 0 ? value.toFixed(2) : 'not measurable (no CORS was not the fastest: noise)'
  console.log(`\nrust-cors/fastify's CORS cost / @fastify/cors's: ${text(ratio.rps, cost['@fastify/cors'].rps)} in req/s, ` +
    `${text(ratio.cpu, cost['@fastify/cors'].cpu)} in server CPU per request (goal ≤ 0.33)`)
  console.log(`(median of ${CFG.rounds} round(s); the per-round spread on this shared box is several %, of the order of CORS's cost)`)
  fs.writeFileSync(path.join(__dirname, 'http-fastify-results.json'), JSON.stringify({ generated: new Date().toISOString(), node: process.version, cpu: cpu[0] && cpu[0].model, cores: cpu.length, config: CFG, rows, cost, ratio, runs }, null, 2) + '\n')
}

main().catch((err) => { console.error(err); process.exit(1) })

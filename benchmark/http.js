#!/usr/bin/env node
'use strict'

// npm run bench:http
// autocannon on 127.0.0.1 against Express 5 with no CORS, cors@2.8.6 and
// rust-cors, each server in its own child process (autocannon runs here).
// Env: BENCH_HTTP_CONNECTIONS (50), BENCH_HTTP_DURATION (10 s),
// BENCH_HTTP_WARMUP (2 s, not measured), BENCH_HTTP_ROUNDS (1; variants are
// interleaved per round), BENCH_HTTP_CONFIG (default | list | regex),
// BENCH_HTTP_VARIANTS (none,cors,rust-cors).
//
// Reports req/s, p99 latency and server CPU µs per request. On a 2-core box
// autocannon and the server share the CPUs and one Express request costs a
// few hundred µs of server CPU, so CORS (≈1-5 µs) is within run-to-run noise
// end to end; the CPU/request column is the least noisy figure.

const path = require('node:path')
const fs = require('node:fs')
const os = require('node:os')
const http = require('node:http')
const { fork } = require('node:child_process')
const autocannon = require('autocannon')

const num = (k, d) => (process.env[k] ? Number(process.env[k]) : d)
const CFG = {
  connections: num('BENCH_HTTP_CONNECTIONS', 50),
  duration: num('BENCH_HTTP_DURATION', 10),
  warmup: num('BENCH_HTTP_WARMUP', 2),
  rounds: num('BENCH_HTTP_ROUNDS', 1),
  config: process.env.BENCH_HTTP_CONFIG || 'default',
  variants: (process.env.BENCH_HTTP_VARIANTS || 'none,cors,rust-cors').split(',').map((s) => s.trim()).filter(Boolean)
}
const ORIGIN = 'https://app.example.com'

function startServer (variant) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'http-server.js'), [variant], {
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
  console.log(`bench:http — Express 5, autocannon -c ${CFG.connections} -d ${CFG.duration} (+${CFG.warmup} s warmup), ${CFG.rounds} round(s), ` +
    `config=${CFG.config}, ${cpu[0] ? cpu[0].model.trim() : '?'} ×${cpu.length}, Node ${process.version}`)
  const runs = Object.fromEntries(CFG.variants.map((v) => [v, []]))
  for (let r = 0; r < CFG.rounds; r++) {
    const order = r % 2 ? [...CFG.variants].reverse() : CFG.variants
    for (const v of order) {
      const m = await measure(v)
      runs[v].push(m)
      console.log(`  round ${r + 1} ${v.padEnd(10)} ${m.reqPerSec.toFixed(0).padStart(7)} req/s  p99 ${String(m.p99Ms).padStart(4)} ms  ` +
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
  console.log('\n| server | req/s | p99 latency | server CPU µs/req | vs no CORS (req/s) |')
  console.log('|---|---:|---:|---:|---:|')
  for (const x of rows) {
    const rel = base ? `${((x.reqPerSec / base.reqPerSec - 1) * 100).toFixed(1)}%` : ''
    const name = x.variant === 'none' ? 'Express 5, no CORS' : x.variant === 'cors' ? 'Express 5 + cors@2.8.6' : 'Express 5 + rust-cors'
    console.log(`| ${name} | ${x.reqPerSec.toFixed(0)} | ${x.p99Ms} ms | ${x.cpuUsPerReq.toFixed(0)} | ${rel} |`)
  }
  console.log(`\n(median of ${CFG.rounds} round(s); run-to-run spread on this box is about ±10%, larger than the CORS cost itself)`)
  fs.writeFileSync(path.join(__dirname, 'http-results.json'), JSON.stringify({ generated: new Date().toISOString(), node: process.version, cpu: cpu[0] && cpu[0].model, cores: cpu.length, config: CFG, rows, runs }, null, 2) + '\n')
}

main().catch((err) => { console.error(err); process.exit(1) })

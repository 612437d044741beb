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
const { num, runRounds } = require('./http-harness')

const CFG = {
  connections: num('BENCH_HTTP_CONNECTIONS', 50),
  duration: num('BENCH_HTTP_DURATION', 10),
  warmup: num('BENCH_HTTP_WARMUP', 2),
  rounds: num('BENCH_HTTP_ROUNDS', 1),
  config: process.env.BENCH_HTTP_CONFIG || 'default',
  variants: (process.env.BENCH_HTTP_VARIANTS || 'none,cors,rust-cors').split(',').map((s) => s.trim()).filter(Boolean)
}
async function main () {
  const { rows, runs, cpu } = await runRounds('bench:http — Express 5', 'http-server.js', CFG)
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

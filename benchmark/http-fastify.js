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
const { num, runRounds } = require('./http-harness')

const CFG = {
  connections: num('BENCH_HTTP_CONNECTIONS', 20),
  duration: num('BENCH_HTTP_DURATION', 6),
  warmup: num('BENCH_HTTP_WARMUP', 2),
  rounds: num('BENCH_HTTP_ROUNDS', 3),
  config: process.env.BENCH_HTTP_CONFIG || 'list',
  variants: ['none', '@fastify/cors', 'rust-cors/fastify']
}
async function main () {
  const { rows, runs, cpu } = await runRounds('bench:http:fastify — Fastify 5', 'http-fastify-server.js', CFG)
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

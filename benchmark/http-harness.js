'use strict'

// The end-to-end harness shared by `npm run bench:http` (Express) and
// `npm run bench:http:fastify`: each variant's server runs in its own child
// process (a server script that answers the 'stats' and 'exit' messages),
// autocannon runs here, variants are interleaved per round (order reversed
// every other round) and each figure is the median over rounds.

const path = require('node:path')
const os = require('node:os')
const http = require('node:http')
const { fork } = require('node:child_process')
const autocannon = require('autocannon')

const ORIGIN = 'https://app.example.com'

const num = (k, d) => (process.env[k] ? Number(process.env[k]) : d)

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }

function startServer (script, variant, cfg) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, script), [variant], {
      env: { ...process.env, BENCH_HTTP_CONFIG: cfg.config },
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

function cannon (port, duration, cfg) {
  return autocannon({
    url: `http://127.0.0.1:${port}/`,
    connections: cfg.connections,
    duration,
    headers: { origin: ORIGIN }
  })
}

async function measure (script, variant, cfg) {
  const { child, port } = await startServer(script, variant, cfg)
  child.removeAllListeners('exit')
  try {
    const p = await probe(port)
    if (cfg.warmup > 0) await cannon(port, cfg.warmup, cfg)
    const before = await stats(child)
    const r = await cannon(port, cfg.duration, cfg)
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

// Runs cfg.rounds rounds of every variant through `script`; prints a line per
// measurement after `title`. Returns { rows: medians per variant, runs, cpu }.
async function runRounds (title, script, cfg) {
  const cpu = os.cpus()
  console.log(`${title}, autocannon -c ${cfg.connections} -d ${cfg.duration} (+${cfg.warmup} s warmup), ${cfg.rounds} round(s), ` +
    `config=${cfg.config}, ${cpu[0] ? cpu[0].model.trim() : '?'} ×${cpu.length}, Node ${process.version}`)
  const width = Math.max(...cfg.variants.map((v) => v.length)) + 1
  const runs = Object.fromEntries(cfg.variants.map((v) => [v, []]))
  for (let r = 0; r < cfg.rounds; r++) {
    const order = r % 2 ? [...cfg.variants].reverse() : cfg.variants
    for (const v of order) {
      const m = await measure(script, v, cfg)
      runs[v].push(m)
      console.log(`  round ${r + 1} ${v.padEnd(width)} ${m.reqPerSec.toFixed(0).padStart(7)} req/s  p99 ${String(m.p99Ms).padStart(4)} ms  ` +
        `server CPU ${m.cpuUsPerReq.toFixed(0)} µs/req  (ACAO ${m.probe.acao === null ? 'absent' : JSON.stringify(m.probe.acao)}, errors ${m.errors}, non2xx ${m.non2xx})`)
    }
  }
  const rows = cfg.variants.map((v) => ({
    variant: v,
    reqPerSec: median(runs[v].map((x) => x.reqPerSec)),
    p99Ms: median(runs[v].map((x) => x.p99Ms)),
    cpuUsPerReq: median(runs[v].map((x) => x.cpuUsPerReq)),
    acao: runs[v][0].probe.acao
  }))
  return { rows, runs, cpu }
}

module.exports = { num, runRounds }

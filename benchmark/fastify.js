#!/usr/bin/env node
'use strict'

// The Fastify adapter's per-request cost beside @fastify/cors 11.4.3, in one
// process (part of `npm run bench`; alone: node benchmark/fastify.js [--quick]).
//
// Both plugins are registered on a stand-in instance that keeps the hook they
// add; each timed call runs that hook with a request shaped as Fastify's (its
// Origin a fresh, non-internalised copy of the header string) and a reply
// with Fastify's own header()/getHeader() semantics, as Fastify calls it. The floor replays the
// reply calls @fastify/cors made, with constant strings. Rounds interleave the
// three sides; figures are medians, ratios the median of per-round ratios.
// Then the whole request through fastify.inject, where CORS's cost is each
// plugin's time beyond an app without CORS.

const { performance } = require('node:perf_hooks')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '..')
const POOL = 64

// Flat, distinct copies of a header value, as node:http makes per request.
const fresh = (s) => Array.from({ length: POOL }, () => Buffer.from(s, 'latin1').toString('latin1'))

const LIST = () => ({ origin: ['https://app.example.com', 'https://admin.example.com', /^https:\/\/[a-z0-9-]+\.example\.org$/], credentials: true, maxAge: 600 })
const ROWS = [
  { id: 'fastify-default', label: "GET, default options (origin '*')", opts: () => ({}), origin: 'https://app.example.com' },
  { id: 'fastify-fixed', label: 'GET, static origin string', opts: () => ({ origin: 'https://app.example.com' }), origin: 'https://app.example.com' },
  { id: 'fastify-list', label: 'GET, list (2 strings + RegExp, credentials, maxAge), hit', opts: LIST, origin: 'https://admin.example.com' },
  { id: 'fastify-list-miss', label: 'GET, same list, miss', opts: LIST, origin: 'https://evil.example.com' },
  { id: 'fastify-regexp', label: 'GET, RegExp', opts: () => ({ origin: /^https:\/\/[a-z0-9-]+\.example\.org$/ }), origin: 'https://www.example.org' },
  {
    id: 'fastify-pattern',
    label: "GET, pattern 'https://*.example.org' (original: the RegExp)",
    opts: () => ({ origin: 'https://*.example.org' }),
    originalOpts: () => ({ origin: /^https:\/\/[^.]+\.example\.org$/ }),
    origin: 'https://www.example.org'
  },
  { id: 'fastify-function', label: 'GET, origin function (callback)', opts: () => ({ origin: (origin, cb) => cb(null, origin === 'https://app.example.com') }), origin: 'https://app.example.com' },
  {
    id: 'fastify-preflight',
    label: 'preflight, list config',
    opts: LIST,
    origin: 'https://app.example.com',
    method: 'OPTIONS',
    headers: { 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type,authorization' }
  }
]

// -- a reply as Fastify's (lib/reply.js): lower-cased keys in one object ----

class Reply {
  constructor () {
    this.headers = {}
    this.statusCode = 200
    this.sent = false
  }

  header (key, value = '') {
    this.headers[key.toLowerCase()] = value
    return this
  }

  getHeader (key) { return this.headers[key.toLowerCase()] }
  code (status) { this.statusCode = status; return this }
  status (status) { return this.code(status) }
  type (value) { return this.header('content-type', value) }
  send () { this.sent = true; return this }
}

function hookOf (plugin, options) {
  const hooks = []
  const instance = {
    decorateRequest () {},
    addHook (name, fn) { hooks.push(fn) },
    options () {}
  }
  plugin(instance, options, (err) => { if (err) throw err })
  if (hooks.length !== 1) throw new Error(`expected one hook, got ${hooks.length}`)
  return hooks[0]
}

// A request as Fastify's (lib/request.js): the route context under its
// symbol, and routeOptions as a getter building an object per access.
const kRouteContext = Symbol('fastify.context')
class Request {
  constructor (headers, method, context) {
    this.headers = headers
    this.raw = { method }
    this.corsPreflightEnabled = false
    this[kRouteContext] = context
  }

  get routeOptions () {
    const context = this[kRouteContext]
    return {
      method: context.config.method,
      url: context.config.url,
      bodyLimit: context.bodyLimit,
      handlerTimeout: 0,
      attachValidation: false,
      logLevel: '',
      exposeHeadRoute: true,
      prefixTrailingSlash: 'both',
      handler: context.handler,
      config: context.config,
      schema: undefined,
      version: undefined
    }
  }
}

function requestsFor (row) {
  const origins = fresh(row.origin)
  const context = { config: { method: row.method || 'GET', url: '/' }, bodyLimit: 1048576, handler () {} }
  return origins.map((origin) => {
    const headers = { origin }
    for (const [k, v] of Object.entries(row.headers || {})) headers[k] = Buffer.from(v).toString('latin1')
    return new Request(headers, row.method || 'GET', context)
  })
}

// A loop timing n calls of `hook` over the request pool.
function makeLoop (hook, reqs) {
  let i = 0
  let done = 0
  const next = () => { done++ }
  return function loop (n) {
    for (let k = 0; k < n; k++) {
      const reply = new Reply()
      hook(reqs[i], reply, next)
      i = (i + 1) & (POOL - 1)
    }
    return done
  }
}

// The same reply calls with constant strings.
function floorHook (original, req) {
  const calls = []
  const reply = new Reply()
  const spy = new Proxy(reply, {
    get (target, prop) {
      const value = target[prop]
      if (typeof value !== 'function') return value
      return (...args) => {
        calls.push([prop, args])
        const result = value.apply(target, args)
        return result === target ? spy : result
      }
    }
  })
  let nexted = false
  original(req, spy, () => { nexted = true })
  // Header names lower-cased, as Fastify stores them: the cheapest way to
  // write the same headers.
  const writes = calls.filter(([m]) => m !== 'getHeader')
    .map(([m, args]) => [m, m === 'header' ? [args[0].toLowerCase(), ...args.slice(1)] : args])
  return function floor (req, reply, next) {
    for (let i = 0; i < writes.length; i++) reply[writes[i][0]](...writes[i][1])
    if (nexted) next()
  }
}

function observe (hook, req) {
  const reply = new Reply()
  let nexted = false
  hook(req, reply, () => { nexted = true })
  return JSON.stringify({ headers: reply.headers, status: reply.statusCode, sent: reply.sent, nexted })
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }

function nsPerCall (loop, ms) {
  let n = 64
  let calls = 0
  const t0 = performance.now()
  let t
  while ((t = performance.now() - t0) < ms) {
    loop(n)
    calls += n
    if (n < 8192) n *= 2
  }
  return (t * 1e6) / calls
}

function runRow (row, cfg) {
  const original = hookOf(require('@fastify/cors'), (row.originalOpts || row.opts)())
  const adapter = hookOf(require(path.join(ROOT, 'lib', 'fastify.js')), row.opts())
  const reqs = requestsFor(row)
  const floor = floorHook(original, reqs[0])
  const parity = observe(original, reqs[1]) === observe(adapter, reqs[1])
  const loops = { original: makeLoop(original, reqs), adapter: makeLoop(adapter, reqs), floor: makeLoop(floor, reqs) }
  for (const k of Object.keys(loops)) nsPerCall(loops[k], cfg.warmMs)
  const orders = [['original', 'adapter', 'floor'], ['floor', 'adapter', 'original'], ['adapter', 'original', 'floor']]
  const rounds = { original: [], adapter: [], floor: [] }
  for (let r = 0; r < cfg.rounds; r++) {
    for (const k of orders[r % orders.length]) rounds[k].push(nsPerCall(loops[k], cfg.roundMs))
  }
  return {
    id: row.id,
    label: row.label,
    original: median(rounds.original),
    adapter: median(rounds.adapter),
    floor: median(rounds.floor),
    ratioOriginal: median(rounds.adapter.map((a, i) => a / rounds.original[i])),
    ratioFloor: median(rounds.adapter.map((a, i) => a / rounds.floor[i])),
    parity
  }
}

function run ({ quick = false } = {}) {
  const cfg = { rounds: quick ? 5 : 21, roundMs: quick ? 5 : 12, warmMs: quick ? 25 : 80 }
  // Warnings about the options (none expected) would print mid-table.
  return ROWS.map((row) => runRow(row, cfg))
}

function markdown (rows) {
  const lines = ['| Fastify hook, per request | @fastify/cors | rust-cors/fastify | floor | adapter / original | adapter / floor |', '|---|---:|---:|---:|---:|---:|']
  for (const r of rows) {
    lines.push(`| ${r.label}${r.parity ? '' : ' [headers differ]'} | ${Math.round(r.original)} ns | ${Math.round(r.adapter)} ns | ${Math.round(r.floor)} ns | ${r.ratioOriginal.toFixed(2)} | ${r.ratioFloor.toFixed(2)} |`)
  }
  return lines.join('\n')
}

// -- the whole Fastify request, in process (fastify.inject: routing, hooks,
// reply; no socket): no CORS, @fastify/cors, the adapter, interleaved; CORS's
// cost is each one's time beyond no CORS, per round.

async function injectApp (plugin, options) {
  const Fastify = require('fastify')
  const app = Fastify()
  if (plugin) await app.register(plugin, options)
  // Without CORS, an empty 204 answers OPTIONS (the plugins answer it in their hook).
  else app.options('*', (req, reply) => { reply.code(204).send() })
  app.get('/', (req, reply) => { reply.send('hello world') })
  await app.ready()
  return app
}

// CPU time (user + system) per request: on a shared machine, time spent
// descheduled would otherwise swamp a difference of a few µs.
async function timeInjects (app, request, n) {
  const before = process.cpuUsage()
  for (let i = 0; i < n; i++) await app.inject(request)
  const used = process.cpuUsage(before)
  return ((used.user + used.system) * 1e3) / n
}

async function runInject ({ quick = false } = {}) {
  const rounds = quick ? 5 : 21
  const n = quick ? 300 : 2000
  const out = []
  for (const row of [ROWS[2], ROWS[7]]) {
    const apps = {
      none: await injectApp(null),
      original: await injectApp(require('@fastify/cors'), row.opts()),
      adapter: await injectApp(require(path.join(ROOT, 'lib', 'fastify.js')), row.opts())
    }
    const request = { method: row.method || 'GET', url: '/', headers: { origin: row.origin, ...row.headers } }
    for (const k of Object.keys(apps)) await timeInjects(apps[k], request, n)
    const times = { none: [], original: [], adapter: [] }
    const orders = [['none', 'original', 'adapter'], ['adapter', 'original', 'none'], ['original', 'none', 'adapter']]
    for (let r = 0; r < rounds; r++) {
      for (const k of orders[r % orders.length]) times[k].push(await timeInjects(apps[k], request, n))
    }
    const costOriginal = times.original.map((t, i) => t - times.none[i])
    const costAdapter = times.adapter.map((t, i) => t - times.none[i])
    out.push({
      label: row.label,
      none: median(times.none),
      original: median(times.original),
      adapter: median(times.adapter),
      costOriginal: median(costOriginal),
      costAdapter: median(costAdapter),
      costRatio: median(costAdapter) / median(costOriginal)
    })
    for (const app of Object.values(apps)) await app.close()
  }
  return out
}

function injectMarkdown (rows) {
  const lines = ['| fastify.inject, whole request (CPU time) | no CORS | @fastify/cors | rust-cors/fastify | CORS cost: original | CORS cost: adapter | adapter / original cost |', '|---|---:|---:|---:|---:|---:|---:|']
  const us = (ns) => `${(ns / 1000).toFixed(2)} µs`
  for (const r of rows) lines.push(`| ${r.label} | ${us(r.none)} | ${us(r.original)} | ${us(r.adapter)} | ${us(r.costOriginal)} | ${us(r.costAdapter)} | ${r.costRatio.toFixed(2)} |`)
  return lines.join('\n')
}

module.exports = { run, markdown, runInject, injectMarkdown }

if (require.main === module) {
  const quick = process.argv.includes('--quick')
  console.log(markdown(run({ quick })))
  runInject({ quick }).then((rows) => console.log('\n' + injectMarkdown(rows)))
}

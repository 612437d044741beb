'use strict'

// Seeded differential: @koa/cors 5 and rust-cors/koa side by side, under
// Koa 2 and Koa 3, over real node:http requests. Random options in
// @koa/cors's vocabulary (sloppy values included: numbers, empty strings and
// arrays, explicit undefined, non-boolean credentials, async functions), and
// random requests (preflights, OPTIONS without Access-Control-Request-
// Method, missing, empty and odd origins) against routes that answer, throw
// (with and without err.headers), set their own Vary, or are missing (404).
// Compared: status, every access-control-*, cross-origin-*, vary and
// content-length header (names and values, in order), and the body.
//
// DIFF_KOA_CASES=n cases per seed (default 250), DIFF_KOA_SEEDS=a,b,c.

const http = require('node:http')
const util = require('node:util')
const Koa3 = require('koa')
const Koa2 = require('koa2')
const koaCors = require('@koa/cors')
const rustKoaCors = require('rust-cors/koa')
const { mulberry32, makeGen } = require('./helpers/generate')

const CASES = Number(process.env.DIFF_KOA_CASES || 250)
const SEEDS = (process.env.DIFF_KOA_SEEDS || '1,2,3').split(',').map(Number)
const COMPARED = /^(access-control-|cross-origin-|vary$|content-length$)/i

const A = 'http://a.com'
const sometimesAsync = (g, value) => g.chance(0.4) ? async () => value : () => value

// Options as a factory: each implementation gets its own fresh objects.
function genOptions (g) {
  const parts = []
  const add = (key, make) => parts.push([key, make])
  if (g.chance(0.8)) {
    add('origin', g.weighted([
      [3, () => () => '*'], [3, () => () => A], [1, () => () => ''], [1, () => () => undefined],
      [1, () => () => 'http://b.com'], [1, () => () => true], [1, () => () => 0],
      [1, () => () => new String('http://s.com')], // eslint-disable-line no-new-wrappers
      [4, () => {
        const answer = g.pick(['echo', '*', 'none', A, 'allow-a'])
        const isAsync = g.chance(0.5)
        return () => {
          const fn = (ctx) => {
            const o = ctx.get('Origin')
            if (answer === 'echo') return o
            if (answer === 'none') return undefined
            if (answer === 'allow-a') return o === A ? o : false
            return answer
          }
          return isAsync ? async (ctx) => fn(ctx) : fn
        }
      }]
    ]))
  }
  if (g.chance(0.6)) {
    add('credentials', g.weighted([
      [3, () => () => true], [2, () => () => false], [1, () => () => 1], [1, () => () => 'yes'], [1, () => () => undefined],
      [3, () => {
        const value = g.pick([true, false, 'yes', 0])
        const maybeAsync = sometimesAsync(g, value)
        return () => maybeAsync
      }]
    ]))
  }
  const pickValue = (key, values) => { if (g.chance(0.5)) { const v = g.pick(values); add(key, () => typeof v === 'function' ? v() : v) } }
  pickValue('allowMethods', ['GET,POST', () => ['GET', 'PUT'], () => [], '', undefined, null, 5, 'PUT'])
  pickValue('allowHeaders', [() => ['X-A', 'X-B'], 'X-A', () => [], '', null, undefined, 'x-a, x-b'])
  pickValue('exposeHeaders', [() => ['X-E'], 'X-E,X-F', () => [], '', null, () => ['X-E', 'X-F']])
  pickValue('maxAge', [600, '600', 0, '0', -1, 1.5, NaN, 'abc', undefined, 86400])
  pickValue('keepHeadersOnError', [true, false, 0, undefined, 'yes'])
  pickValue('secureContext', [true, false, undefined, 1])
  pickValue('privateNetworkAccess', [true, false, undefined, 1])
  const none = g.chance(0.05) // cors() without options
  return () => {
    if (none) return undefined
    const options = {}
    for (const [key, make] of parts) options[key] = make()
    return options
  }
}

function genRequest (g) {
  const headers = {}
  const origin = g.weighted([[3, undefined], [5, A], [3, 'http://evil.com'], [1, ''], [1, 'null'], [1, 'http://a.com:8080']])
  if (origin !== undefined) headers.origin = origin
  const method = g.weighted([[4, 'GET'], [2, 'POST'], [6, 'OPTIONS'], [1, 'PUT'], [1, 'HEAD']])
  if (method === 'OPTIONS' || g.chance(0.1)) {
    const acrm = g.weighted([[6, 'PUT'], [2, undefined], [1, '']])
    if (acrm !== undefined) headers['access-control-request-method'] = acrm
  }
  if (g.chance(0.4)) headers['access-control-request-headers'] = g.pick(['x-a, x-b', 'X-C', '', ' x-d ,x-e'])
  if (g.chance(0.2)) headers['access-control-request-private-network'] = g.pick(['true', 'yes'])
  const path = g.weighted([[5, '/'], [2, '/throw'], [1, '/throw-headers'], [2, '/missing'], [1, '/vary']])
  return { method, path, headers }
}

function buildApp (Koa, cors, options) {
  const app = new Koa()
  app.silent = true
  app.use(cors(options))
  app.use((ctx) => {
    if (ctx.path === '/') ctx.body = { ok: true }
    else if (ctx.path === '/vary') { ctx.set('Vary', 'Accept'); ctx.body = 'vary' } else if (ctx.path === '/throw') throw new Error('boom')
    else if (ctx.path === '/throw-headers') {
      const err = new Error('teapot')
      err.status = 418
      err.expose = true
      err.headers = { 'X-Err': '1', Vary: 'Accept' }
      throw err
    }
  })
  return app
}

// One server per implementation; the app of the current case is looked up by X-Case.
function serve (apps) {
  const server = http.createServer((req, res) => {
    const app = apps.get(req.headers['x-case'])
    if (!app) { res.statusCode = 599; return res.end() }
    app(req, res)
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 })

function send (port, caseId, request) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: request.method, path: request.path, agent, headers: { ...request.headers, 'x-case': caseId } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => { body += chunk })
      res.on('end', () => {
        const headers = []
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (COMPARED.test(res.rawHeaders[i])) headers.push(res.rawHeaders[i].toLowerCase() + ': ' + res.rawHeaders[i + 1])
        }
        resolve({ status: res.statusCode, headers, body })
      })
    })
    req.on('error', reject)
    req.setTimeout(5000, () => req.destroy(new Error('timeout')))
    req.end()
  })
}

let servers
const originalApps = new Map()
const ourApps = new Map()

beforeAll(async () => {
  servers = [await serve(originalApps), await serve(ourApps)]
})

afterAll(async () => {
  agent.destroy()
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
})

async function runSeed (seed) {
  const g = makeGen(mulberry32(seed))
  const mismatches = []
  let requests = 0
  let compileErrors = 0
  for (let i = 0; i < CASES; i++) {
    const makeOptions = genOptions(g)
    const Koa = g.chance(0.5) ? Koa2 : Koa3
    const caseId = `${seed}-${i}`
    let ours
    try {
      ours = buildApp(Koa, rustKoaCors, makeOptions()).callback()
    } catch (err) {
      compileErrors++
      mismatches.push({ caseId, options: util.inspect(makeOptions()), error: err.message })
      continue
    }
    originalApps.set(caseId, buildApp(Koa, koaCors, makeOptions()).callback())
    ourApps.set(caseId, ours)
    const n = 1 + g.int(4)
    for (let r = 0; r < n; r++) {
      const request = genRequest(g)
      const [expected, actual] = await Promise.all([send(servers[0].address().port, caseId, request), send(servers[1].address().port, caseId, request)])
      requests++
      if (!util.isDeepStrictEqual(expected, actual)) {
        mismatches.push({ caseId, koa: Koa === Koa2 ? 2 : 3, options: util.inspect(makeOptions()), request, expected, actual })
      }
    }
    originalApps.delete(caseId)
    ourApps.delete(caseId)
  }
  return { requests, mismatches, compileErrors }
}

test.each(SEEDS)('seed %i: rust-cors/koa answers like @koa/cors 5 (Koa 2 and 3)', async (seed) => {
  const { requests, mismatches } = await runSeed(seed)
  if (mismatches.length) console.log(util.inspect(mismatches.slice(0, 5), { depth: 6 }))
  console.log(`koa differential seed ${seed}: ${CASES} option sets, ${requests} requests, ${mismatches.length} mismatches`)
  expect(requests).toBeGreaterThan(CASES)
  expect(mismatches).toEqual([])
})

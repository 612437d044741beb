'use strict'

// The differential run of __test__/fastify-differential.test.js, in a plain node process (jest cannot
// load light-my-request, which fastify.inject() uses: it requires an ES module).
// usage: node __test__/helpers/fastify-differential.js <seed> <cases> [only]  -> one JSON line
//
// Differential test: @fastify/cors 11.4.3 and rust-cors/fastify side by side through fastify.inject().
//
// Every case is (options source in @fastify/cors's vocabulary, routes, 1-5 requests). The source is
// evaluated once per implementation (fresh RegExps, functions, arrays), each implementation gets its
// own Fastify app with the same routes (a route that throws, a route with config.cors, an explicit
// OPTIONS route; anything else is a 404), and a hook before the plugin may set Vary first. Compared:
// how register() ended, and per request the status, every access-control-*, vary, content-length,
// content-type and cache-control header in order, and the body.
//

const Fastify = require('fastify')
const original = require('@fastify/cors')
const adapter = require('../../lib/fastify')
const { mulberry32, caseSeed, makeGen, genOriginValue, tagged } = require('./generate')

const HANG_MS = 1500
const COMPARED = /^(access-control-.*|vary|content-length|content-type|cache-control)$/

// -- options in @fastify/cors's vocabulary (JavaScript source) ------------------------------------

function genOriginFn (g) {
  const value = () => genOriginValue(g)
  const answer = g.weighted([
    [8, () => `cb(null, ${value()})`],
    [3, () => `cb(null, origin === 'http://example.com' ? ${value()} : ${value()})`],
    [1, "cb(null, this === app ? 'http://this-is-the-app' : 'http://this-is-not')"],
    [2, "cb(tagged(new Error('origin-boom')))"],
    [1, 'cb(null)'], [1, "cb(null, '')"], [1, "cb(null, ['*'])"], [1, "cb(null, ['http://x.com', '*'])"]
  ])
  return g.weighted([
    [6, () => `function (origin, cb) { ${answer} }`],
    [2, () => `function (origin, cb) { setImmediate(() => { ${answer} }) }`],
    [2, () => `async function (origin) { return ${value()} }`],
    [1, "async function (origin) { throw tagged(new Error('origin-reject')) }"],
    [1, "function (origin) { return Promise.resolve(this === app ? 'http://this-is-the-app' : 'http://this-is-not') }"]
  ])
}

const LISTS = ["'X-A'", "['X-A', 'X-B']", "'X-A,X-B'", "''", '[]', 'undefined', "[['X-A', 'X-B'], 'X-C']", '5']
const SPEC = {
  methods: [[3, "'GET'"], [3, "'GET,PUT'"], [3, "['GET', 'PUT']"], [1, '[]'], [1, "''"], [1, 'undefined'], [1, 'null'], [0.5, '5']],
  allowedHeaders: [[6, () => g0.pick(LISTS)], [1, 'null']],
  exposedHeaders: [[6, () => g0.pick(LISTS)], [1, 'null'], [1, 'false']],
  credentials: [[5, 'true'], [3, 'false'], [1, "'yes'"], [1, '0'], [1, '1']],
  maxAge: [[4, '600'], [2, '0'], [1, "'60'"], [1, 'undefined'], [1, 'null'], [1, '-1'], [0.5, "''"]],
  cacheControl: [[3, '300'], [3, "'no-store'"], [1, 'true'], [1, '1.5'], [1, "''"], [1, '-1']],
  preflightContinue: [[4, 'true'], [4, 'false'], [1, '1'], [1, "'yes'"]],
  optionsSuccessStatus: [[4, '200'], [4, '204'], [1, "'200'"], [1, '299'], [0.5, '99'], [0.5, '700']],
  preflight: [[3, 'false'], [3, 'true'], [1, "'yes'"], [1, '1']],
  strictPreflight: [[4, 'false'], [3, 'true'], [1, '0'], [1, "'yes'"]],
  hook: [[4, "'onRequest'"], [2, "'preParsing'"], [2, "'preValidation'"], [2, "'preHandler'"], [1, "'preSerialization'"], [0.3, "'onSend'"], [0.3, "'bogus'"]],
  hideOptionsRoute: [[1, 'false']],
  logLevel: [[1, "'silent'"]]
}
let g0 = null // the case's generator, for SPEC's functions

function genOptions (g, { inDelegate = false } = {}) {
  const parts = []
  if (g.chance(0.85)) parts.push(`origin: ${g.weighted([[10, () => genOriginValue(g)], [inDelegate ? 2 : 4, () => genOriginFn(g)]])}`)
  for (const [name, choices] of Object.entries(SPEC)) {
    if (inDelegate && name === 'hook') continue
    if (g.chance(name === 'hook' ? 0.3 : name === 'hideOptionsRoute' || name === 'logLevel' ? 0.05 : 0.3)) parts.push(`${name}: ${g.weighted(choices)}`)
  }
  for (let i = parts.length - 1; i > 0; i--) {
    const j = g.int(i + 1)
    const t = parts[i]; parts[i] = parts[j]; parts[j] = t
  }
  return '{ ' + parts.join(', ') + ' }'
}

function genDelegate (g) {
  const opt = () => genOptions(g, { inDelegate: true })
  return g.weighted([
    [4, () => `function (req, cb) { cb(null, ${opt()}) }`],
    [2, () => `function (req, cb) { setImmediate(() => cb(null, req.headers.origin === 'http://example.com' ? ${opt()} : ${opt()})) }`],
    [1, "function (req, cb) { cb(tagged(new Error('delegate-boom'))) }"],
    [4, () => `async function (req) { return ${opt()} }`],
    [1, () => `function (req) { return Promise.resolve(req.method === 'OPTIONS' ? ${opt()} : ${opt()}) }`],
    [1, "async function (req) { throw tagged(new Error('delegate-reject')) }"],
    [1, 'function (req) { return false }']
  ])
}

const ROUTE_CORS = ['false', "{ origin: '*' }", "{ origin: ['http://a.com', 'http://example.com'] }", "{ methods: ['PUT'] }",
  '{ credentials: true, maxAge: 5 }', '{ cacheControl: 42 }', '{ origin: false }', "{ origin: ['*'] }",
  "{ allowedHeaders: 'X-R' }", "{ origin: (o, cb) => cb(null, 'http://from-route') }", 'true']

function genCase (seed, index) {
  const g = makeGen(mulberry32(caseSeed(seed, index)))
  g0 = g
  const options = g.weighted([
    [3, 'NOARG'],
    [60, () => genOptions(g)],
    [8, () => `{ ${g.chance(0.5) ? `hook: ${g.weighted(SPEC.hook)}, ` : ''}delegator: ${genDelegate(g)} }`],
    [6, () => `() => ${genDelegate(g)}`]
  ])
  const routeCors = g.pick(ROUTE_CORS)
  const requests = []
  const n = 1 + g.int(5)
  for (let i = 0; i < n; i++) {
    const method = g.weighted([[6, 'GET'], [1, 'HEAD'], [2, 'POST'], [8, 'OPTIONS'], [1, 'PUT']])
    const headers = {}
    const origin = g.weighted([[3, undefined], [5, 'http://example.com'], [3, 'http://a.com'], [2, 'http://evil.com'],
      [1, ''], [1, 'null'], [1, 'HTTP://EXAMPLE.COM'], [1, 'https://www.example.com/'], [1, '*']])
    if (origin !== undefined) headers.origin = origin
    if (g.chance(method === 'OPTIONS' ? 0.75 : 0.1)) headers['access-control-request-method'] = g.pick(['PUT', 'GET', ''])
    if (g.chance(method === 'OPTIONS' ? 0.5 : 0.1)) headers['access-control-request-headers'] = g.pick(['X-A, x-b', 'content-type', ''])
    if (g.chance(0.15)) headers['x-pre-vary'] = g.pick(['Accept', '*', 'origin', 'Accept, Origin', '* , foo'])
    requests.push({ method, url: g.weighted([[6, '/'], [2, '/throws'], [3, '/cfg'], [2, '/missing'], [2, '/opt']]), headers })
  }
  return { options, routeCors, requests }
}

// -- running one implementation -----------------------------------------------------------------

function evaluate (source, app) {
  // eslint-disable-next-line no-new-func
  return new Function('tagged', 'app', '"use strict"; return (' + source + ')')(tagged, app)
}

// What escapes a run as an uncaught exception or rejection (@fastify/cors throws out of an
// asynchronous origin callback or delegate answer on a status reply.code refuses).
let escaped = []
process.on('uncaughtException', (err) => { escaped.push(err.message) })
process.on('unhandledRejection', (err) => { escaped.push(err && err.message) })

async function runOne (plugin, testCase) {
  escaped = []
  const app = Fastify()
  app.addHook('onRequest', function (req, reply, done) {
    if (req.headers['x-pre-vary'] !== undefined) reply.header('Vary', req.headers['x-pre-vary'])
    done()
  })
  const result = { register: 'ok', responses: [] }
  try {
    if (testCase.options === 'NOARG') await app.register(plugin)
    else await app.register(plugin, evaluate(testCase.options, app))
  } catch (err) {
    result.register = `${err.name}: ${err.message}`
    return result
  }
  app.get('/', (req, reply) => { reply.send({ ok: true }) })
  app.post('/', (req, reply) => { reply.send('posted') })
  app.get('/throws', () => { throw tagged(new Error('handler-boom')) })
  app.get('/cfg', { config: { cors: evaluate(testCase.routeCors, app) } }, (req, reply) => { reply.send('cfg') })
  app.options('/opt', (req, reply) => { reply.send('opt-route') })
  for (const request of testCase.requests) {
    const res = await Promise.race([
      app.inject(request),
      new Promise((resolve) => setTimeout(resolve, HANG_MS, null))
    ])
    if (res === null) {
      result.responses.push('hang')
      continue
    }
    result.responses.push({
      status: res.statusCode,
      headers: Object.entries(res.headers).filter(([name]) => COMPARED.test(name)),
      body: res.payload
    })
  }
  await app.close()
  if (escaped.length > 0) result.crashed = escaped
  return result
}

async function runSeed (seed, cases, only) {
  const mismatches = []
  let requests = 0
  let originalCrashes = 0
  for (let i = 0; i < cases; i++) {
    if (only !== null && i !== only) continue
    const testCase = genCase(seed, i)
    const expected = await runOne(original, testCase)
    const actual = await runOne(adapter, testCase)
    requests += testCase.requests.length
    if (expected.crashed !== undefined) {
      // The original crashes the process; rust-cors must answer each request instead.
      originalCrashes++
      if (actual.crashed !== undefined || actual.responses.includes('hang')) mismatches.push({ index: i, testCase, expected, actual })
      continue
    }
    if (JSON.stringify(expected) !== JSON.stringify(actual)) mismatches.push({ index: i, testCase, expected, actual })
  }
  return { mismatches, requests, originalCrashes }
}

function show (seed, m) {
  return `seed ${seed} case #${m.index}\noptions: ${m.testCase.options}\nroute config.cors: ${m.testCase.routeCors}\n` +
    `requests: ${JSON.stringify(m.testCase.requests)}\n@fastify/cors:     ${JSON.stringify(m.expected)}\nrust-cors/fastify: ${JSON.stringify(m.actual)}`
}

if (require.main === module) {
  const [seed, cases, only] = process.argv.slice(2).map(Number)
  process.removeAllListeners('warning') // rust-cors's one-time warnings about the sloppy options
  process.on('warning', () => {})
  runSeed(seed, cases, only === undefined ? null : only).then(({ mismatches, requests, originalCrashes }) => {
    process.stdout.write(JSON.stringify({ seed, cases, requests, originalCrashes, mismatches: mismatches.length, shown: mismatches.slice(0, 3).map((m) => show(seed, m)) }) + '\n')
    process.exit(0)
  }, (err) => {
    console.error(err)
    process.exit(1)
  })
}

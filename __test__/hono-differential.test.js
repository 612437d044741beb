'use strict'

// Seeded differential: hono/cors (hono 4) and rust-cors/hono side by side
// through app.request(). Random options in hono/cors's vocabulary (sloppy
// values included: an explicit undefined or a boolean origin, a string
// allowMethods, empty arrays, maxAge 0/null/NaN/'600', non-boolean
// credentials, sync and async origin and allowMethods functions), and random
// requests (preflights, missing, empty and odd origins, request headers with
// spaces) against routes that answer, throw, set their own Vary, return their
// own Response, or are missing (404). Compared: status, every
// access-control-*, vary, content-length and content-type header, and the body.
//
// DIFF_HONO_CASES=n cases per seed (default 300), DIFF_HONO_SEEDS=a,b,c.

const util = require('node:util')
const { Hono } = require('hono')
const { cors: honoCors } = require('hono/cors')
const { cors: rustHonoCors } = require('rust-cors/hono')
const { mulberry32, makeGen } = require('./helpers/generate')

const CASES = Number(process.env.DIFF_HONO_CASES || 300)
const SEEDS = (process.env.DIFF_HONO_SEEDS || '1,2,3').split(',').map(Number)
const COMPARED = /^(access-control-|vary$|content-length$|content-type$)/i

const A = 'http://a.com'

function genOptions (g) {
  const parts = []
  const add = (key, make) => parts.push([key, make])
  if (g.chance(0.8)) {
    add('origin', g.weighted([
      [3, () => () => '*'], [3, () => () => A], [3, () => () => [A, 'http://b.com']], [1, () => () => []],
      [1, () => () => ''], [1, () => () => undefined], [1, () => () => true], [1, () => () => [A, 5, ['http://b.com']]],
      [4, () => {
        const answer = g.pick(['echo', '*', 'none', 'allow-a', 'fixed'])
        const isAsync = g.chance(0.5)
        return () => {
          const fn = (origin, c) => {
            if (typeof c.req.header !== 'function') throw new Error('no context')
            if (answer === 'echo') return origin
            if (answer === 'none') return null
            if (answer === 'allow-a') return origin === A ? origin : undefined
            if (answer === 'fixed') return 'http://fixed.com'
            return '*'
          }
          return isAsync ? async (origin, c) => fn(origin, c) : fn
        }
      }]
    ]))
  }
  const pickValue = (key, values) => {
    if (g.chance(0.5)) {
      const v = g.pick(values)
      add(key, () => typeof v === 'function' ? v() : v)
    }
  }
  pickValue('allowMethods', [() => ['GET', 'POST'], () => [], 'GET', undefined, () => ['PUT', 'QUERY'],
    () => (origin) => origin === A ? ['PUT'] : [], () => async () => ['PATCH', 'GET']])
  pickValue('allowHeaders', [() => ['X-A', 'X-B'], () => [], undefined, () => ['X-C']])
  pickValue('exposeHeaders', [() => ['X-E'], () => [], undefined, () => ['X-E', 'X-F']])
  pickValue('maxAge', [600, 0, null, undefined, NaN, '600', 86400, 1.5])
  pickValue('credentials', [true, false, 1, '', undefined, 'yes'])
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
  const origin = g.weighted([[3, undefined], [5, A], [2, 'http://b.com'], [3, 'http://evil.com'], [1, ''], [1, 'null']])
  if (origin !== undefined) headers.origin = origin
  const method = g.weighted([[4, 'GET'], [2, 'POST'], [6, 'OPTIONS'], [1, 'PUT']])
  if (method === 'OPTIONS' && g.chance(0.8)) headers['access-control-request-method'] = 'PUT'
  if (g.chance(0.4)) headers['access-control-request-headers'] = g.pick(['x-a, x-b', 'X-C', ' x-d ,x-e ', 'x-f'])
  const path = g.weighted([[5, '/api/ok'], [2, '/api/throw'], [2, '/api/missing'], [1, '/api/vary'], [1, '/api/raw'], [1, '/other']])
  return { method, path, headers }
}

function buildApp (cors, options) {
  const app = new Hono()
  app.use('/api/*', cors(options))
  app.all('/api/ok', (c) => c.json({ ok: true }))
  app.all('/api/throw', () => { throw new Error('boom') })
  app.all('/api/vary', (c) => { c.header('Vary', 'Accept'); return c.text('vary') })
  app.all('/api/raw', () => new Response('raw', { headers: { 'content-type': 'text/plain', vary: 'Accept-Encoding' } }))
  app.all('/other', (c) => c.text('other'))
  return app
}

async function answer (app, request) {
  const res = await app.request(request.path, { method: request.method, headers: request.headers })
  const headers = []
  for (const [name, value] of res.headers) {
    if (COMPARED.test(name)) headers.push(name + ': ' + value)
  }
  return { status: res.status, statusText: res.statusText, headers, body: await res.text() }
}

async function runSeed (seed) {
  const g = makeGen(mulberry32(seed))
  const mismatches = []
  let requests = 0
  for (let i = 0; i < CASES; i++) {
    const makeOptions = genOptions(g)
    let ours
    try {
      ours = buildApp(rustHonoCors, makeOptions())
    } catch (err) {
      mismatches.push({ case: `${seed}-${i}`, options: util.inspect(makeOptions()), error: err.message })
      continue
    }
    const original = buildApp(honoCors, makeOptions())
    const n = 1 + g.int(4)
    for (let r = 0; r < n; r++) {
      const request = genRequest(g)
      const [expected, actual] = await Promise.all([answer(original, request), answer(ours, request)])
      requests++
      if (!util.isDeepStrictEqual(expected, actual)) {
        mismatches.push({ case: `${seed}-${i}`, options: util.inspect(makeOptions()), request, expected, actual })
      }
    }
  }
  return { requests, mismatches }
}

beforeAll(() => {
  // hono's default onError logs every thrown error.
  jest.spyOn(console, 'error').mockImplementation(() => {})
})

afterAll(() => {
  console.error.mockRestore()
})

test.each(SEEDS)('seed %i: rust-cors/hono answers like hono/cors', async (seed) => {
  const { requests, mismatches } = await runSeed(seed)
  if (mismatches.length) console.log(util.inspect(mismatches.slice(0, 5), { depth: 6 }))
  console.log(`hono differential seed ${seed}: ${CASES} option sets, ${requests} requests, ${mismatches.length} mismatches`)
  expect(requests).toBeGreaterThan(CASES)
  expect(mismatches).toEqual([])
})

'use strict'

// rustCors.toNginx, proven on a real nginx: seeded generated policies, each
// exported into one location of ONE nginx configuration (its own prefix),
// in front of a node upstream; the same requests go to an Express app with
// rustCors(options) on the same path. Status and every Access-Control-*,
// Vary and Cache-Control header (values, order, duplicates; Content-Length
// on OPTIONS) must be equal.
//
// Knobs: NGINX_DIFF_SEED, NGINX_DIFF_POLICIES, NGINX_DIFF_REQUESTS (per policy),
// NGINX_DIFF_REGEXPS (random RegExp policies, 8 requests each).

const http = require('node:http')
const util = require('node:util')
const express = require('express')
const vary = require('vary')
const rustCors = require('..')
const { describeNginx, startNginx } = require('./helpers/nginx-server')

// The generated options include risky ones on purpose; their RustCorsWarnings are not the subject here.
jest.spyOn(process, 'emitWarning').mockImplementation(() => {})

const SEED = process.env.NGINX_DIFF_SEED ? Number(process.env.NGINX_DIFF_SEED) : 0x6e67696e
const POLICIES = process.env.NGINX_DIFF_POLICIES ? Number(process.env.NGINX_DIFF_POLICIES) : 160
const REQUESTS_PER_POLICY = process.env.NGINX_DIFF_REQUESTS ? Number(process.env.NGINX_DIFF_REQUESTS) : 16
const REGEX_POLICIES = process.env.NGINX_DIFF_REGEXPS ? Number(process.env.NGINX_DIFF_REGEXPS) : 600
const REQUESTS_PER_REGEX = 8
const CONCURRENCY = 8

const { mulberry32 } = require('./helpers/generate')

// -- what is generated ----------------------------------------------------

const EXACT_ORIGINS = [
  'https://a.example.com', 'https://A.example.com', 'http://localhost:3000', 'null',
  'https://app.test', 'https://caf\u00e9.example', 'https://x$y.example', 'https://a.example.com:8443'
]
const PATTERNS = [
  'https://*.example.com', 'http://localhost:*', 'https://*.example.com:*',
  'https://*.example.com:8443', 'http://[::1]:*', 'HTTPS://*.Example.com'
]
const REGEXPS = [
  /^https:\/\/[a-z]+\.example\.com$/, /example\.com$/, /^https?:\/\/localhost(:\d+)?$/,
  /^https:\/\/A\.EXAMPLE\.com$/i, /\bexample\b/, /^null$/m, /\s/, /^https:\/\/[^.]+\.example\.com$/,
  /caf\u00c9/i, /^http:\/\/\[::1\]/, /\Bxample/, /^.+$/s, /^https:\/\/(a|b)\.example\.com$/,
  /[^\w.:/-]/, /^https:\/\/\w+\.test$/u
]
const REQUEST_ORIGINS = [
  undefined, '', 'https://a.example.com', 'https://A.example.com', 'https://a.EXAMPLE.com',
  'https://b.a.example.com', 'https://example.com', 'https://evil-example.com',
  'https://a.example.com.evil.net', 'https://a.example.com:8443', 'https://a.example.com:443',
  'http://localhost:3000', 'http://localhost', 'http://localhost:99999', 'http://LOCALHOST:3000',
  'null', 'https://app.test', 'https://APP.test', 'https://caf\u00e9.example', 'https://CAF\u00c9.example',
  'http://[::1]:8080', 'https://x$y.example', 'https://x y.example', 'https://a_b.example.com',
  'https://b.example.com', 'https://a.example.com ', ' http://localhost:3000'
]
const UPSTREAM_VARY = [undefined, undefined, undefined, 'Accept-Encoding', 'Accept, Origin', 'origin', '*', 'Accept, Origin, Cookie', 'Accept, Cookie']

function generator (rand) {
  const pick = (list) => list[Math.floor(rand() * list.length)]
  const chance = (p) => rand() < p

  function originItem () {
    const r = rand()
    if (r < 0.45) return pick(EXACT_ORIGINS)
    if (r < 0.7) return pick(PATTERNS)
    return pick(REGEXPS)
  }

  function originOption () {
    const r = rand()
    if (r < 0.1) return { omit: true }
    if (r < 0.18) return { value: '*' }
    // A fixed origin is sent as it is written: only ASCII is exportable (a refusal test covers the rest).
    if (r < 0.3) return { value: pick(EXACT_ORIGINS.filter((o) => /^[ -~]*$/.test(o))) }
    if (r < 0.4) return { value: true }
    if (r < 0.43) return { value: false }
    if (r < 0.5) return { value: pick(REGEXPS) }
    if (r < 0.55) return { value: pick(PATTERNS) }
    const list = []
    const n = Math.floor(rand() * 4)
    for (let i = 0; i < n; i++) list.push(originItem())
    if (chance(0.1)) list.push([originItem(), originItem()])
    if (chance(0.03)) list.push(1)
    return { value: list }
  }

  function options () {
    const o = {}
    const origin = originOption()
    if (!origin.omit) o.origin = origin.value
    if (chance(0.4)) o.credentials = chance(0.8)
    if (chance(0.4)) o.methods = pick(['GET,POST', ['GET', 'PUT'], [], 'GET, POST, PATCH'])
    if (chance(0.5)) {
      const name = chance(0.85) ? 'allowedHeaders' : 'headers'
      o[name] = pick(['', ['Content-Type', 'X-A'], 'X-Req', [], 'Content-Type,Authorization', 'X-$Dollar'])
    }
    if (chance(0.4)) o.exposedHeaders = pick([['X-Total', 'X-Page'], 'X-One', [], 'X-"Quoted"'])
    if (chance(0.4)) o.maxAge = pick([0, 600, '3600', -1, 1.5])
    if (chance(0.3)) o.optionsSuccessStatus = pick([200, 204, 201, 206, 299])
    if (chance(0.1)) o.allowPrivateNetwork = true
    if (chance(0.1)) o.cacheControl = pick([600, 'no-store'])
    return o
  }

  function request () {
    const r = rand()
    const method = r < 0.45 ? 'OPTIONS' : r < 0.75 ? 'GET' : pick(['POST', 'PUT', 'DELETE', 'HEAD', 'PATCH'])
    const headers = {}
    const origin = pick(REQUEST_ORIGINS)
    if (origin !== undefined) headers.Origin = origin
    if (method === 'OPTIONS' && chance(0.8)) headers['Access-Control-Request-Method'] = pick(['PUT', 'GET', 'DELETE'])
    if (chance(0.5)) headers['Access-Control-Request-Headers'] = pick(['X-A, x-b', 'content-type', 'X-Custom', ''])
    if (chance(0.15)) headers['Access-Control-Request-Private-Network'] = pick(['true', 'TRUE'])
    const upstreamVary = pick(UPSTREAM_VARY)
    if (upstreamVary !== undefined) headers['X-Test-Vary'] = upstreamVary
    if (chance(0.4)) headers['X-Test-Both-Layers'] = '1'
    return { method, headers }
  }

  return { options, request }
}

// Random RegExps and origins for the PCRE rendering: the atoms where JS,
// PCRE's defaults and a naive translation disagree (case folding beyond
// ASCII, \s and NBSP, \w and \b, `.` and CR, m-flag anchors).
const REGEX_ATOMS = [
  'a', 'b', 'A', 'e', 'x', '-', ':', '_', '\\.', '\\/', '.', ' ', 'é', 'É', 'ÿ', 'µ', 'ß', '\\xe9',
  '\\d', '\\D', '\\s', '\\S', '\\w', '\\W', '\\u00c9', '\\t',
  '[a-c]', '[^a]', '[\\w.]', '[^\\s]', '[à-þ]', '[A-Z]', '[\\x80-\\xff]', '[-:]', '[^]', '[]'
]
const REGEX_ORIGIN_PARTS = ['a', 'b', 'A', 'B', 'e', 'x', 'X', '-', ':', '_', '.', '/', ' ', 'é', 'É', 'ÿ', 'µ', 'ß', '9', '\xa0', '\t', 'https://', 'http://']

function regexGenerator (rand) {
  const pick = (list) => list[Math.floor(rand() * list.length)]
  const chance = (p) => rand() < p

  function term (depth) {
    let atom
    const r = rand()
    if (r < 0.1) atom = pick(['^', '$', '\\b', '\\B'])
    else if (r < 0.25 && depth < 2) atom = `(${chance(0.5) ? '?:' : ''}${alternation(depth + 1)})`
    else atom = pick(REGEX_ATOMS)
    if (!['^', '$', '\\b', '\\B'].includes(atom) && chance(0.3)) atom += pick(['*', '+', '?', '{1,3}', '{2}', '*?', '+?'])
    return atom
  }

  function sequence (depth) {
    let out = ''
    const n = 1 + Math.floor(rand() * 4)
    for (let i = 0; i < n; i++) out += term(depth)
    return out
  }

  function alternation (depth) {
    let out = sequence(depth)
    while (chance(0.25)) out += '|' + sequence(depth)
    return out
  }

  function regexp () {
    const flags = ['i', 'm', 's', 'u'].filter(() => chance(0.3)).join('')
    // Origin RegExps are usually anchored; half are, at each end.
    const source = (chance(0.5) ? '^' : '') + alternation(0) + (chance(0.5) ? '$' : '')
    try {
      return new RegExp(source, flags)
    } catch (e) {
      return new RegExp(source.replace(/[[\]]/g, ''), flags)
    }
  }

  function origin () {
    let out = chance(0.6) ? pick(['https://', 'http://']) : ''
    const n = Math.floor(rand() * 7)
    for (let i = 0; i < n; i++) out += pick(REGEX_ORIGIN_PARTS)
    // A header value with whitespace at either end arrives trimmed on both servers.
    return out.trim()
  }

  return { regexp, origin }
}

// -- the servers ----------------------------------------------------------

// The application: what the upstream (and the Express reference) answers
// after CORS. X-Test-Vary: a Vary field list it adds with vary(), as
// compression or a framework would. The body is a Buffer: with a string
// body Node writes the response head in the body's encoding (UTF-8), which
// would re-encode a reflected Latin-1 origin; nginx echoes the bytes.
const BODY = Buffer.from('application')

function application (req, res) {
  const fields = req.headers['x-test-vary']
  if (fields) vary(res, fields)
  res.setHeader('Content-Type', 'text/plain')
  res.setHeader('Content-Length', BODY.length)
  res.end(BODY)
}

function listen (app) {
  return new Promise((resolve) => {
    const server = http.createServer(app)
    server.keepAliveTimeout = 30000
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

// The Express reference: rustCors(options) mounted on each policy's path.
function referenceApp (policies) {
  const app = express()
  app.disable('x-powered-by')
  for (const policy of policies) app.use(policy.path, rustCors(policy.options))
  app.use(application)
  return app
}

// The upstream behind nginx; X-Test-Both-Layers: it runs the same CORS
// middleware too (CORS in both layers must not duplicate anything).
function upstreamApp (policies) {
  const app = express()
  app.disable('x-powered-by')
  for (const policy of policies) {
    const middleware = rustCors(policy.options)
    app.use(policy.path, (req, res, next) => (req.headers['x-test-both-layers'] ? middleware(req, res, next) : next()))
  }
  app.use(application)
  return app
}

function nginxParts (policies, upstreamPort) {
  let httpPart = ''
  let serverPart = ''
  for (const policy of policies) {
    const config = rustCors.toNginx(policy.options, { prefix: policy.prefix })
    httpPart += config.http
    serverPart += `location ${policy.path}/ {\n${config.location}proxy_pass http://127.0.0.1:${upstreamPort};\n}\n`
  }
  return { http: httpPart, server: serverPart }
}

// -- requests -------------------------------------------------------------

const COMPARED = /^(access-control-|vary$|cache-control$)/i

// status, the compared headers in order (names, values, duplicates), and on
// OPTIONS the Content-Length values. (nginx writes Content-Length with its
// built-in headers, before the added ones, except on a 204: its position
// is not compared.)
function send (agent, port, path, { method, headers }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent }, (res) => {
      res.resume()
      res.on('end', () => {
        const compared = []
        const contentLength = []
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]
          if (COMPARED.test(name)) compared.push(`${name}: ${res.rawHeaders[i + 1]}`)
          if (method === 'OPTIONS' && /^content-length$/i.test(name)) contentLength.push(res.rawHeaders[i + 1])
        }
        resolve({ status: res.statusCode, headers: compared, contentLength })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

async function runAll (cases, worker) {
  let next = 0
  async function lane () {
    while (next < cases.length) {
      const index = next++
      await worker(cases[index], index)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, lane))
}

const inspect = (v) => util.inspect(v, { depth: 5, breakLength: Infinity })

// -- the tests ------------------------------------------------------------

describeNginx('toNginx on a real nginx', () => {
  const rand = mulberry32(SEED)
  const gen = generator(rand)
  const policies = []
  for (let i = 0; i < POLICIES; i++) {
    policies.push({ path: `/p${i}`, prefix: `p${i}`, options: gen.options() })
  }
  // Two hand-written policies that differ only in which origin they allow.
  policies.push({ path: '/one', prefix: 'one', options: { origin: ['https://a.example.com'], credentials: true } })
  policies.push({ path: '/two', prefix: 'two', options: { origin: ['https://A.example.com'], maxAge: 60, exposedHeaders: 'X-$Dollar, X-"Quoted"\\Back' } })
  // `*.` patterns bound the host at 253 bytes, as the middleware does.
  policies.push({ path: '/host', prefix: 'host', options: { origin: 'https://*.example.com' } })
  policies.push({ path: '/hostport', prefix: 'hostport', options: { origin: ['https://x.test', 'https://*.example.com:*'] } })

  const cases = []
  for (const policy of policies.slice(0, POLICIES)) {
    for (let k = 0; k < REQUESTS_PER_POLICY; k++) cases.push({ policy, request: gen.request() })
  }

  // RegExp origins: one policy each; those the exporter refuses are counted, not tested.
  const regexGen = regexGenerator(mulberry32(SEED ^ 0x5a5a5a5a))
  const regexCases = []
  let regexRefused = 0
  for (let i = 0; i < REGEX_POLICIES; i++) {
    const options = { origin: [regexGen.regexp()] }
    try {
      rustCors.toNginx(options)
    } catch (e) {
      if (e.code !== 'RUST_CORS_NOT_EXPORTABLE') throw e
      regexRefused++
      continue
    }
    const policy = { path: `/r${i}`, prefix: `r${i}`, options }
    policies.push(policy)
    for (let k = 0; k < REQUESTS_PER_REGEX; k++) {
      const headers = { Origin: regexGen.origin() }
      regexCases.push({ policy, request: { method: k % 4 === 0 ? 'OPTIONS' : 'GET', headers } })
    }
  }

  let reference, upstream, nginx, agentRef, agentNginx
  beforeAll(async () => {
    reference = await listen(referenceApp(policies))
    upstream = await listen(upstreamApp(policies))
    nginx = await startNginx(nginxParts(policies, upstream.address().port))
    agentRef = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY })
    agentNginx = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY })
  }, 60000)

  afterAll(async () => {
    if (agentRef) agentRef.destroy()
    if (agentNginx) agentNginx.destroy()
    if (nginx) await nginx.stop()
    for (const server of [reference, upstream]) {
      if (server) await new Promise((resolve) => server.close(resolve))
    }
  })

  const ask = (policyPath, request) => Promise.all([
    send(agentRef, reference.address().port, `${policyPath}/resource`, request),
    send(agentNginx, nginx.port, `${policyPath}/resource`, request)
  ])

  test(`${POLICIES * REQUESTS_PER_POLICY} generated (options, request) cases: nginx answers as the middleware`, async () => {
    const mismatches = []
    const seen = { preflight: 0, allowed: 0, denied: 0, caseOnly: 0, upstreamVary: 0, bothLayers: 0, status200: 0 }
    await runAll(cases, async ({ policy, request }, index) => {
      const [expected, actual] = await ask(policy.path, request)
      if (!util.isDeepStrictEqual(expected, actual)) {
        mismatches.push({ index, options: policy.options, request, expected, actual })
      }
      const acao = expected.headers.find((h) => h.startsWith('Access-Control-Allow-Origin:'))
      if (request.method === 'OPTIONS') seen.preflight++
      if (request.method === 'OPTIONS' && expected.status === 200) seen.status200++
      if (acao) seen.allowed++
      else seen.denied++
      const origin = request.headers.Origin
      if (origin && Array.isArray(policy.options.origin) && !acao &&
        policy.options.origin.some((o) => typeof o === 'string' && o !== origin && o.toLowerCase() === origin.toLowerCase())) {
        seen.caseOnly++
      }
      if (request.headers['X-Test-Vary'] && request.method !== 'OPTIONS') seen.upstreamVary++
      if (request.headers['X-Test-Both-Layers']) seen.bothLayers++
    })
    console.log(`nginx differential: ${cases.length} cases over ${POLICIES} policies in one nginx, ` +
      `${mismatches.length} mismatches; seen ${inspect(seen)}`)
    for (const m of mismatches.slice(0, 5)) {
      console.log(`mismatch #${m.index}\n options: ${inspect(m.options)}\n request: ${inspect(m.request)}\n` +
        ` middleware: ${inspect(m.expected)}\n nginx:      ${inspect(m.actual)}`)
    }
    expect(cases.length).toBeGreaterThanOrEqual(2000)
    // The generator reached the interesting cases.
    expect(seen.preflight).toBeGreaterThan(500)
    expect(seen.allowed).toBeGreaterThan(500)
    expect(seen.denied).toBeGreaterThan(200)
    expect(seen.caseOnly).toBeGreaterThan(5)
    expect(seen.upstreamVary).toBeGreaterThan(100)
    expect(seen.bothLayers).toBeGreaterThan(500)
    expect(mismatches).toHaveLength(0)
  }, 300000)

  test('random RegExp origins: the PCRE rendering decides as JavaScript', async () => {
    const mismatches = []
    let allowed = 0
    await runAll(regexCases, async ({ policy, request }, index) => {
      const [expected, actual] = await ask(policy.path, request)
      if (!util.isDeepStrictEqual(expected, actual)) mismatches.push({ index, options: policy.options, request, expected, actual })
      if (expected.headers.some((h) => h.startsWith('Access-Control-Allow-Origin:'))) allowed++
    })
    console.log(`nginx RegExp differential: ${regexCases.length} cases over ${REGEX_POLICIES - regexRefused} RegExps ` +
      `(${regexRefused} of ${REGEX_POLICIES} refused as not exportable), ${allowed} allowed, ${mismatches.length} mismatches`)
    for (const m of mismatches.slice(0, 5)) {
      console.log(`mismatch #${m.index}\n options: ${inspect(m.options)}\n request: ${inspect(m.request)}\n` +
        ` middleware: ${inspect(m.expected)}\n nginx:      ${inspect(m.actual)}`)
    }
    expect(regexCases.length).toBeGreaterThanOrEqual(1500)
    expect(allowed).toBeGreaterThan(200)
    expect(regexCases.length - allowed).toBeGreaterThan(200)
    expect(mismatches).toHaveLength(0)
  }, 300000)

  test('origins compare exactly: case matters, in two prefixed policies of one config', async () => {
    const get = { method: 'GET', headers: {} }
    const fromOrigin = (origin) => ({ method: 'GET', headers: { Origin: origin } })
    const preflight = (origin) => ({ method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'PUT' } })
    const checks = [
      ['/one', fromOrigin('https://a.example.com'), 'https://a.example.com'],
      ['/one', fromOrigin('https://A.example.com'), null],
      ['/two', fromOrigin('https://A.example.com'), 'https://A.example.com'],
      ['/two', fromOrigin('https://a.example.com'), null],
      ['/one', preflight('https://a.example.com'), 'https://a.example.com'],
      ['/two', preflight('https://a.example.com'), null],
      ['/one', get, null]
    ]
    for (const [path, request, allowed] of checks) {
      const [expected, actual] = await ask(path, request)
      expect(actual).toEqual(expected)
      const acao = actual.headers.find((h) => h.startsWith('Access-Control-Allow-Origin:'))
      expect(acao).toBe(allowed === null ? undefined : `Access-Control-Allow-Origin: ${allowed}`)
    }
    // Each location has its own policy: credentials in /one only, Max-Age in /two only.
    const [oneExpected, one] = await ask('/one', preflight('https://a.example.com'))
    const [twoExpected, two] = await ask('/two', preflight('https://A.example.com'))
    expect(one).toEqual(oneExpected)
    expect(two).toEqual(twoExpected)
    expect(one.headers).toContain('Access-Control-Allow-Credentials: true')
    expect(one.headers.some((h) => h.startsWith('Access-Control-Max-Age'))).toBe(false)
    expect(two.headers).toContain('Access-Control-Max-Age: 60')
    // `$`, `"` and `\` reach the browser as written (nginx has no escape for `$`: a geo variable spells it).
    expect(two.headers).toContain('Access-Control-Expose-Headers: X-$Dollar, X-"Quoted"\\Back')
    expect(two.headers.some((h) => h.startsWith('Access-Control-Allow-Credentials'))).toBe(false)
    expect(one.status).toBe(204)
    expect(one.headers).toEqual([
      'Access-Control-Allow-Origin: https://a.example.com',
      'Vary: Origin, Access-Control-Request-Headers',
      'Access-Control-Allow-Credentials: true',
      'Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE'
    ])
    expect(one.contentLength).toEqual(['0'])
  })

  test('`*.` patterns allow hosts up to 253 bytes, as the middleware does (252-256 and beyond)', async () => {
    const lengths = [240, 251, 252, 253, 254, 255, 256, 257, 300, 311, 395, 1000]
    let allowed = 0
    for (const length of lengths) {
      const host = hostOfLength(length)
      expect(host).toHaveLength(length)
      for (const [path, port] of [['/host', ''], ['/hostport', ''], ['/hostport', ':8443']]) {
        for (const method of ['GET', 'OPTIONS']) {
          const origin = `https://${host}${port}`
          const headers = { Origin: origin }
          if (method === 'OPTIONS') headers['Access-Control-Request-Method'] = 'PUT'
          const [expected, actual] = await ask(path, { method, headers })
          expect(actual).toEqual(expected)
          const acao = actual.headers.includes(`Access-Control-Allow-Origin: ${origin}`)
          expect([length, path, port, acao]).toEqual([length, path, port, length <= 253])
          if (acao) allowed++
        }
      }
    }
    expect(allowed).toBe(4 * 3 * 2)
  })
})

// A host of `length` bytes ending in .example.com, labels of at most 9 bytes.
function hostOfLength (length) {
  let labels = 'abcdefghi.'.repeat(Math.ceil(length / 10)).slice(0, length - '.example.com'.length)
  if (labels.endsWith('.')) labels = 'xy' + labels.slice(1, -1)
  return labels + '.example.com'
}

describe('toNginx refuses what nginx cannot express', () => {
  const refusals = [
    [{ origin: /^https:\/\/(a+)+\.example\.com$/ }, 'origin'],
    [function delegate (req, cb) { cb(null, {}) }, 'options'],
    [{ origin: (origin, cb) => cb(null, true) }, 'origin'],
    [{ origin: /example\.com$/g }, 'origin'],
    [{ origin: ['https://a.example.com', /(?<=a)b/] }, 'origin'],
    [{ origin: /\p{L}/u }, 'origin'],
    [{ preflightContinue: true }, 'preflightContinue'],
    [{ strictPreflight: true }, 'strictPreflight'],
    [{ optionsSuccessStatus: 302 }, 'optionsSuccessStatus'],
    [{ optionsSuccessStatus: 404 }, 'optionsSuccessStatus'],
    [{ exposedHeaders: 'X-Caf\u00e9' }, 'exposedHeaders'],
    [{ origin: 'https://caf\u00e9.example' }, 'origin']
  ]
  test.each(refusals)('%p: TypeError naming `%s`', (options, option) => {
    let error = null
    try {
      rustCors.toNginx(options)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(TypeError)
    expect(error.code).toBe('RUST_CORS_NOT_EXPORTABLE')
    expect(error.option).toBe(option)
    expect(error.message).toContain(`option \`${option}\``)
  })

  test('a prefix nginx cannot use is refused', () => {
    for (const prefix of ['', '9lives', 'a-b', 'x'.repeat(25), 42]) {
      expect(() => rustCors.toNginx({}, { prefix })).toThrow(TypeError)
    }
  })

  test('invalid options fail exactly as the middleware does', () => {
    expect(() => rustCors.toNginx({ methods: null })).toThrow(/option `methods`/)
    expect(() => rustCors({ methods: null })).toThrow(/option `methods`/)
  })
})

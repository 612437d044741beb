'use strict'

// The seeded generator of the differential test (__test__/differential.test.js): options as
// JavaScript source (so each implementation gets its own fresh objects) and requests. Shared with
// the NODE_DEBUG / explain() agreement test, which runs the same corpus.

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32) and helpers

function mulberry32 (seed) {
  let a = seed >>> 0
  return function () {
    a = (a + 0x6D2B79F5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function caseSeed (master, i) {
  // a per-case seed so that one case can be replayed alone (DIFF_ONLY)
  let h = (master ^ Math.imul(i + 1, 0x9E3779B1)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85EBCA6B) >>> 0
  h = Math.imul(h ^ (h >>> 13), 0xC2B2AE35) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}

function makeGen (rng) {
  const g = {
    rng,
    int: (n) => Math.floor(rng() * n),
    chance: (p) => rng() < p,
    pick: (arr) => arr[Math.floor(rng() * arr.length)],
    // weighted: [[w, valueOrFn], ...]
    weighted (list) {
      let total = 0
      for (const [w] of list) total += w
      let x = rng() * total
      for (const [w, v] of list) {
        x -= w
        if (x < 0) return typeof v === 'function' ? v() : v
      }
      const last = list[list.length - 1][1]
      return typeof last === 'function' ? last() : last
    }
  }
  return g
}

const q = (s) => JSON.stringify(s)

// ---------------------------------------------------------------------------------------------
// Option generators (they return JavaScript source text)

const ORIGIN_STRINGS = [
  'http://example.com', 'https://example.com', 'http://a.com', 'http://evil.com', 'null', '*',
  'http://localhost:3000', 'https://api.example.com', 'HTTP://EXAMPLE.COM', 'http://example.com/',
  'http://www.example.com', ' http://example.com',
  // near misses of origins requests carry (RUST_CORS_ORIGIN_NEVER_MATCHES)
  'localhost:3000', 'https://example.com:443', 'http://Example.com', 'http://example.com/path'
]

const REGEXES = [
  '/example\\.com$/', '/^https?:\\/\\/(www\\.)?example\\.com$/', '/example/g', '/example\\.com$/g',
  '/^http:\\/\\/example\\.com$/y', '/example/y', '/EXAMPLE/i', '/EXAMPLE\\.COM$/gi',
  '/^(?!http:\\/\\/evil).*$/', '/(?<=:\\/\\/)example/', '/n/', '/^null$/', '/localhost:\\d+$/',
  '/^https:\\/\\/[a-z]+\\.example\\.com$/', '/(.)\\1/', '/\\p{L}+\\.com/u', '/^[^]*$/s', '/(?:)/',
  '/evil/', '/^$/', '/undefined/', '/a\\.com|example\\.com/', '/^http:\\/\\/(?:a|evil)\\.com$/g',
  'new RegExp("example\\\\.com$")', 'new RegExp("EXAMPLE", "gi")', '/\\bexample\\b/y'
]
// rare RegExp forms whose matching is not the pattern text: cors calls re.test(origin) on the object
const EXOTIC_REGEXES = [
  "Object.assign(/never-matches/, { test: function (s) { return s === 'http://a.com' } })",
  "new (class extends RegExp { exec (s) { return s === 'http://evil.com' ? null : super.exec(s) } })('example|evil')"
]

const REQUEST_ORIGINS = [
  [8, undefined], [10, 'http://example.com'], [4, 'https://example.com'], [3, 'http://www.example.com'],
  [3, 'https://api.example.com'], [5, 'http://evil.com'], [2, 'http://evil-example.com'],
  [2, 'HTTP://EXAMPLE.COM'], [3, 'null'], [2, ''], [3, 'http://localhost:3000'], [3, 'http://a.com'],
  [1, 'http://example.com.evil.net'], [1, 'http://example.com/'], [1, '*'],
  // the literal `*` strings below, and origins a pattern reading of them would allow
  [1, 'https://*.de'], [1, 'https://evil.de'], [0.5, 'https://attacker-bucket.s3.amazonaws.com'],
  [0.5, '*.example.com'], [0.5, 'https://api.example.com/*'], [0.5, 'https://evil.up.railway.app'],
  [0.3, 'https://*.amazonaws.com'], [0.3, 'https://a.example.com']
]

// Strings with `*` that are not valid origin patterns: malformed, without a scheme, or with a
// wildcard that reaches a public suffix. cors compares them with === like any other string (and
// sends a lone one verbatim); rust-cors must answer the same (it warns RUST_CORS_INVALID_PATTERN).
// Valid patterns ('https://*.example.com') are a deliberate difference and are not drawn.
const INVALID_STAR_STRINGS = [
  'https://api.example.com/*', '*.example.com', 'https://*.de', 'https://*.com', 'https://*.co.uk',
  'https://*.amazonaws.com', 'https://*.core.windows.net', 'https://*.railway.app', 'https://*.github.io',
  'https://a.*.example.com', 'https://*example.com', 'http://*', '**', 'https://*.', 'http://example.com:8*',
  '*://example.com', 'HTTPS://*.DE', 'https://*.example.com/', 'https://*.*.example.com'
]

function genRegex (g) {
  return g.chance(0.01) ? g.pick(EXOTIC_REGEXES) : g.pick(REGEXES)
}

function genOriginArray (g, depth) {
  const n = g.weighted([[1, 0], [4, 1], [4, 2], [3, 3], [1, 5]])
  const els = []
  for (let i = 0; i < n; i++) {
    els.push(g.weighted([
      [6, () => q(g.pick(ORIGIN_STRINGS))],
      [4, () => genRegex(g)],
      [depth < 2 ? 2 : 0, () => genOriginArray(g, depth + 1)],
      [1, 'true'], [1, 'false'], [1, 'null'], [1, 'undefined'], [1, '0'], [1, "''"], [1, 'NaN'],
      [0.5, '1'], [0.5, '{}'], [0.5, () => `new String(${q(g.pick(ORIGIN_STRINGS))})`],
      [1.2, () => q(g.pick(INVALID_STAR_STRINGS))]
    ]))
  }
  return '[' + els.join(', ') + ']'
}

// a non-function origin value (static option, or value passed to the origin callback)
function genOriginValue (g, depth = 0) {
  return g.weighted([
    [5, 'true'], [3, 'false'], [4, "'*'"],
    [8, () => q(g.pick(ORIGIN_STRINGS))],
    [1, () => `new String(${q(g.pick(ORIGIN_STRINGS))})`],
    [8, () => genRegex(g)],
    [8, () => genOriginArray(g, depth)],
    [1, 'null'], [1, 'undefined'], [1, "''"], [1, '0'], [0.5, 'NaN'],
    [1, '1'], [1, '{}'],
    [1.5, () => q(g.pick(INVALID_STAR_STRINGS))],
    [0.6, () => genDeepOriginArray(g)]
  ])
}

// An origin list nested 65 to 200 levels deep (no cycle): cors recurses through it on every request.
function genDeepOriginArray (g) {
  const levels = 65 + g.int(136)
  const leaf = [q(g.pick(ORIGIN_STRINGS))]
  if (g.chance(0.5)) leaf.push(genRegex(g))
  if (g.chance(0.3)) leaf.push(q(g.pick(INVALID_STAR_STRINGS)))
  const deep = '['.repeat(levels) + leaf.join(', ') + ']'.repeat(levels)
  return g.chance(0.5) ? `[${q(g.pick(ORIGIN_STRINGS))}, ${deep}]` : deep
}

function wrapAsync (g, body) {
  return g.weighted([
    [5, body],
    [3, `setImmediate(function () { ${body} })`],
    [2, `Promise.resolve().then(function () { ${body} })`],
    [1, `setTimeout(function () { ${body} }, ${g.int(3)})`],
    [1, `process.nextTick(function () { ${body} })`]
  ])
}

function genOriginFn (g, { mayThrow = false } = {}) {
  const body = g.weighted([
    [10, () => `cb(null, ${genOriginValue(g)})`],
    [3, () => `cb(null, origin === 'http://example.com' ? ${genOriginValue(g)} : ${genOriginValue(g)})`],
    [2, () => `cb(null, origin === undefined ? ${genOriginValue(g)} : origin)`],
    [1, "cb(null, 'seen:' + typeof origin + ':' + origin + ':' + arguments.length)"],
    [2, 'cb(null, function () {})'],
    [2, "cb(tagged(new Error('origin-boom')))"],
    [1, () => `cb(tagged(new TypeError('origin-typed')), ${genOriginValue(g)})`],
    [1, "cb('origin string error')"],
    [1, () => `cb(null, ${genOriginValue(g)}, 'extra-arg')`],
    [2, () => `cb(undefined, ${genOriginValue(g)})`],
    [1, () => `cb(0, ${genOriginValue(g)})`],
    [1, 'cb()']
  ])
  // a synchronous throw only where the whole chain is synchronous (static options); inside an
  // asynchronous delegate it would be an uncaught exception in cors too
  if (mayThrow && g.chance(0.03)) return "function (origin, cb) { throw tagged(new Error('origin-sync-throw')) }"
  const kind = g.weighted([[8, 'function'], [1, 'arrow'], [1, 'async']])
  const inner = wrapAsync(g, body)
  if (kind === 'arrow') return `(origin, cb) => { ${inner} }`
  if (kind === 'async') return `async function (origin, cb) { ${inner} }`
  return `function (origin, cb) { ${inner} }`
}

const METHODS = [
  [4, "'GET,HEAD,PUT,PATCH,POST,DELETE'"], [3, "'GET, POST'"], [4, "['GET', 'POST']"], [3, '[]'], [3, "''"],
  [1, '0'], [1, "['get', 'Put']"], [1, "'PURGE'"], [1, "[['GET', 'PUT'], 'POST']"],
  [1, "['GET', null, 'PUT']"], [1, "'GET'"], [1, "['OPTIONS']"], [1, '[1, 2]'], [0.5, 'false'],
  [0.5, "new String('GET,PUT')"], [0.5, "' GET , PUT '"],
  // wrong types (cors writes the value as is)
  [1, '42'], [0.7, 'true'], [0.3, '{}'], [0.3, '1.5']
]
const ALLOWED_HEADERS = [
  [4, "'X-Custom'"], [3, "'Content-Type,Authorization'"], [4, "['X-A', 'X-B']"], [3, "''"], [3, '[]'],
  [2, 'null'], [2, 'undefined'], [1, '0'], [1, "['']"], [1, "'x-a, x-b'"], [1, "[['a', 'b'], 'c']"],
  [1, "'*'"], [1, 'false'], [0.5, "new String('X-S')"], [0.5, "[' ']"],
  // wrong types (cors: no header when the value has no length, no Vary either)
  [1, '42'], [0.5, 'true'], [0.5, '{}']
]
const EXPOSED_HEADERS = [
  [4, "'X-Total-Count'"], [4, "['X-1', 'X-2']"], [3, "''"], [3, '[]'], [2, 'null'], [2, 'undefined'],
  [1, '0'], [1, "[' ']"], [1, "'*'"], [1, "['']"], [1, 'false'], [0.5, "[['E1', 'E2'], 'E3']"],
  [0.5, "'Content-Length, X-Kuma-Revision'"],
  // wrong types (cors: no header)
  [1, '42'], [0.5, 'true'], [0.5, '{}']
]
const CREDENTIALS = [
  [6, 'true'], [3, 'false'], [1, 'undefined'], [1, 'null'],
  // wrong types (cors sends the header only for the boolean true)
  [1, "'true'"], [1, '1'], [0.5, '{}'], [0.5, "'false'"], [0.3, '0'], [0.3, '[]'], [0.3, 'new Boolean(true)']
]
const MAX_AGE = [
  [3, '0'], [3, '600'], [2, "'600'"], [2, 'NaN'], [2, '-1'], [2, '1.5'], [2, "''"], [1, 'false'],
  [1, 'null'], [1, 'undefined'], [1, "'abc'"], [1, '86400'], [1, '1e21'],
  [0.5, 'Infinity'], [0.5, '-0'], [0.5, "'0'"], [0.5, "' 60 '"],
  // wrong types (cors stringifies any truthy value)
  [1, 'true'], [0.7, '{}'], [0.5, '[1, 2]'], [0.3, 'new Number(5)']
]
const PREFLIGHT_CONTINUE = [
  [5, 'true'], [5, 'false'], [1, "'yes'"], [1, '0'], [1, '1'], [1, "''"], [1, 'undefined'], [1, 'null']
]
const SUCCESS_STATUS = [
  [5, '200'], [5, '204'], [1, '201'], [1, '202'], [1, '206'], [1, '299'], [1, '400'], [1, '404'],
  [1, '418'], [1, '500'], [1, '503'], [0.5, '304'],
  // wrong types that Node's writeHead accepts (it takes statusCode | 0)
  [1, "'200'"], [1, '200.5'], [0.5, "'204'"], [0.3, '204.9']
]

function genOptionsObject (g, { inDelegate = false } = {}) {
  const parts = []
  const add = (k, v) => parts.push(`${k}: ${v}`)
  if (g.chance(0.8)) {
    add('origin', g.weighted([
      [12, () => genOriginValue(g)],
      [inDelegate ? 3 : 5, () => genOriginFn(g, { mayThrow: !inDelegate })],
      [0.7, 'undefined']
    ]))
  }
  // methods: undefined/null is excluded here (documented construction-time TypeError, tested separately)
  if (g.chance(0.35)) add('methods', g.weighted(METHODS))
  if (g.chance(0.35)) add('allowedHeaders', g.weighted(ALLOWED_HEADERS))
  if (g.chance(0.15)) add('headers', g.weighted(ALLOWED_HEADERS))
  if (g.chance(0.3)) add('exposedHeaders', g.weighted(EXPOSED_HEADERS))
  if (g.chance(0.35)) add('credentials', g.weighted(CREDENTIALS))
  if (g.chance(0.35)) add('maxAge', g.weighted(MAX_AGE))
  if (g.chance(0.25)) add('preflightContinue', g.weighted(PREFLIGHT_CONTINUE))
  // optionsSuccessStatus: undefined is excluded (documented, tested separately)
  if (g.chance(0.25)) add('optionsSuccessStatus', g.weighted(SUCCESS_STATUS))
  if (g.chance(0.03)) add('unknownOption', "'ignored'")
  // shuffle the key order
  for (let i = parts.length - 1; i > 0; i--) {
    const j = g.int(i + 1)
    const t = parts[i]; parts[i] = parts[j]; parts[j] = t
  }
  return '{ ' + parts.join(', ') + ' }'
}

function genDelegate (g) {
  const opt = () => genOptionsObject(g, { inDelegate: true })
  const body = g.weighted([
    [10, () => `cb(null, ${opt()})`],
    [3, () => `cb(null, req.headers.origin === 'http://example.com' ? ${opt()} : ${opt()})`],
    [2, () => `cb(null, req.method === 'OPTIONS' ? ${opt()} : ${opt()})`],
    [2, 'cb(null)'], [1, 'cb(null, undefined)'], [1, 'cb(null, null)'], [1, 'cb()'],
    [2, "cb(tagged(new Error('delegate-boom')))"],
    [1, "cb('some error')"],
    [1, () => `cb(tagged(new RangeError('delegate-range')), ${opt()})`],
    [1, () => `cb(0, ${opt()})`],
    [1, () => `cb(false, ${opt()})`]
  ])
  if (g.chance(0.02)) return "function (req, cb) { throw tagged(new Error('delegate-sync-throw')) }"
  const inner = wrapAsync(g, body)
  return g.chance(0.15) ? `(req, cb) => { ${inner} }` : `function (req, cb) { ${inner} }`
}

function genOptionsSource (g) {
  return g.weighted([
    [3, 'NOARG'],
    [1, 'undefined'], [1, 'null'], [0.5, "'abc'"], [0.5, '5'], [0.5, 'true'], [0.5, '{}'],
    [60, () => genOptionsObject(g)],
    [4, () => `Object.freeze(${genOptionsObject(g)})`],
    [1, () => `Object.assign(Object.create({ origin: false, credentials: true, maxAge: 9 }), ${genOptionsObject(g)})`],
    [1, () => `Object.defineProperty(${genOptionsObject(g)}, 'exposedHeaders', { value: 'X-Hidden', enumerable: false })`],
    [20, () => genDelegate(g)]
  ])
}

// ---------------------------------------------------------------------------------------------
// Request generator

const PRE_VARY = [
  'Foo', 'origin', '*', ['Accept', 'Accept-Encoding'], 'Accept, *', 'Origin, Access-Control-Request-Headers',
  'access-control-request-headers', '', ['Origin'], 'Accept-Encoding,User-Agent', ['Accept', '*']
]

const ACRH_VALUES = [
  'X-A, x-b', 'x-a,x-b', ' x-a ,  X-B ', 'Content-Type', '', 'authorization,content-type,x-requested-with',
  'X-Custom', '*'
]

function genRequest (g) {
  const r = {}
  r.method = g.weighted([
    [10, 'GET'], [3, 'HEAD'], [4, 'POST'], [2, 'PUT'], [1, 'DELETE'], [1, 'PATCH'], [14, 'OPTIONS']
  ])
  // methods that cannot go over the wire as such: set on req by the test server before the middleware
  if (g.chance(0.06)) {
    r.methodOverride = g.weighted([[5, 'options'], [2, 'Options'], [1, 'get'], [1, '__undefined__'], [1, 'OPTIONS ']])
  }
  r.origin = g.weighted(REQUEST_ORIGINS)
  const preflightish = r.method === 'OPTIONS' || r.methodOverride !== undefined
  if (g.chance(preflightish ? 0.7 : 0.1)) {
    r.acrm = g.weighted([[6, 'PUT'], [2, 'GET'], [1, 'delete'], [1, ''], [1, 'X-CUSTOM']])
  }
  if (g.chance(preflightish ? 0.6 : 0.1)) {
    r.acrhName = g.pick(['Access-Control-Request-Headers', 'access-control-request-headers', 'ACCESS-CONTROL-REQUEST-HEADERS'])
    r.acrh = g.pick(ACRH_VALUES)
  }
  if (g.chance(0.15)) {
    r.pre = []
    if (g.chance(0.3)) r.pre.push(['X-Before', 'yes'])
    r.pre.push(['Vary', g.pick(PRE_VARY)])
    if (g.chance(0.25)) r.pre.push([g.pick(['Access-Control-Allow-Origin', 'access-control-allow-headers']), 'stale'])
  } else if (g.chance(0.05)) {
    r.pre = [[g.pick(['Access-Control-Allow-Origin', 'Access-Control-Max-Age', 'X-Before']), 'stale']]
  }
  return r
}

function genCase (index, seed) {
  const g = makeGen(mulberry32(caseSeed(seed, index)))
  const optionsSrc = genOptionsSource(g)
  const nReq = g.weighted([[4, 1], [3, 2], [2, 3], [2, 4]])
  const requests = []
  for (let i = 0; i < nReq; i++) {
    // repeat the previous request sometimes (stateful RegExp flags show up on repeats)
    if (i > 0 && g.chance(0.35)) requests.push(requests[i - 1])
    else requests.push(genRequest(g))
  }
  return { index, optionsSrc, requests }
}

// ---------------------------------------------------------------------------------------------
// Building options and middleware from source

function tagged (e) {
  e.tag = 'user-error'
  return e
}

function buildMiddleware (impl, optionsSrc) {
  if (optionsSrc === 'NOARG') return impl()
  // eslint-disable-next-line no-new-func
  const value = new Function('tagged', '"use strict"; return (' + optionsSrc + ')')(tagged)
  return impl(value)
}

module.exports = {
  mulberry32,
  caseSeed,
  makeGen,
  genCase,
  genRequest,
  genOriginValue,
  REQUEST_ORIGINS,
  INVALID_STAR_STRINGS,
  q,
  tagged,
  buildMiddleware
}

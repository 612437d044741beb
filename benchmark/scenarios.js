'use strict'

// The benchmark shapes: options, request headers and the targets the lead
// checks. All strings that reach the middleware are flat (see harness.flat).

const { flat, compiled } = require('./harness')

const ORIGIN = flat('https://app.example.com')
const MISS_ORIGIN = flat('https://evil.example.org')

const LIST10 = Array.from({ length: 10 }, (_, i) => flat(`https://app${i}.example.com`))
const LIST1000 = Array.from({ length: 1000 }, (_, i) => flat(`https://app${i}.example.com`))

function regexes (n) {
  return Array.from({ length: n }, (_, i) => new RegExp(`^https:\\/\\/([a-z0-9-]+\\.)?tenant${i}\\.example\\.com$`))
}
const RE1 = regexes(1)
const RE10 = regexes(10)
const RE100 = regexes(100)
const reHit = (n) => flat(`https://www.tenant${n - 1}.example.com`)
const RE_MISS = flat('https://www.other.example.com')

const ACRH = flat('content-type,authorization,x-requested-with')
const ACRH_10K = flat(Array.from({ length: 10000 }, (_, i) => `x-h-${i}`).join(','))
const ORIGIN_10K = flat('https://' + 'a'.repeat(10 * 1024 - 'https://'.length - '.example.com'.length) + '.example.com')

const BACKTRACK_RE = /^https:\/\/(a+)+\.example\.com$/
const backtrackOrigin = (n) => flat('https://' + 'a'.repeat(n) + '!')

// Delegate / origin callback in their canonical cors-README form, each compiled
// separately per middleware instance (own feedback, no sharing between sides).
function makeDelegate (list) {
  // eslint-disable-next-line no-new-func
  return new Function('L', `return function corsOptionsDelegate (req, callback) {
    callback(null, { origin: L.indexOf(req.headers.origin) !== -1 })
  }`)(list)
}
function makeOriginCallback (list) {
  // eslint-disable-next-line no-new-func
  return new Function('L', `return function originCallback (origin, callback) {
    if (L.indexOf(origin) !== -1) callback(null, true)
    else callback(new Error('Not allowed by CORS'))
  }`)(list)
}

const GET = (origin) => ({ method: 'GET', headers: { origin } })
const PREFLIGHT = (origin, extra) => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': 'PUT', ...extra }
})

// target kinds: 'static' (rust/cors <= 0.33), 'big' (<= 0.1), 'preflight'
// (<= 0.5), 'dynamic' (no rust/cors target; rust/floor <= 2.0 on real res).
const SHAPES = [
  { id: 'get-star', label: "GET, origin '*'", kind: 'static', opts: () => undefined, req: GET(ORIGIN) },
  { id: 'get-fixed', label: 'GET, fixed origin string', kind: 'static', opts: () => ({ origin: ORIGIN }), req: GET(ORIGIN) },
  { id: 'get-true', label: 'GET, origin: true (reflect)', kind: 'static', opts: () => ({ origin: true }), req: GET(ORIGIN) },
  { id: 'list10-hit', label: 'GET, list of 10, hit (last)', kind: 'static', opts: () => ({ origin: LIST10 }), req: GET(LIST10[9]) },
  { id: 'list10-miss', label: 'GET, list of 10, miss', kind: 'static', opts: () => ({ origin: LIST10 }), req: GET(MISS_ORIGIN) },
  { id: 'list1000-hit', label: 'GET, list of 1,000, hit (last)', kind: 'big', opts: () => ({ origin: LIST1000 }), req: GET(LIST1000[999]) },
  { id: 'list1000-miss', label: 'GET, list of 1,000, miss', kind: 'big', opts: () => ({ origin: LIST1000 }), req: GET(MISS_ORIGIN) },
  { id: 're1-hit', label: 'GET, 1 RegExp, hit', kind: 'static', opts: () => ({ origin: RE1 }), req: GET(reHit(1)) },
  { id: 're1-miss', label: 'GET, 1 RegExp, miss', kind: 'static', opts: () => ({ origin: RE1 }), req: GET(RE_MISS) },
  { id: 're10-hit', label: 'GET, 10 RegExps, hit (last)', kind: 'static', opts: () => ({ origin: RE10 }), req: GET(reHit(10)) },
  { id: 're10-miss', label: 'GET, 10 RegExps, miss', kind: 'static', opts: () => ({ origin: RE10 }), req: GET(RE_MISS) },
  { id: 're100-hit', label: 'GET, 100 RegExps, hit (last)', kind: 'big', opts: () => ({ origin: RE100 }), req: GET(reHit(100)) },
  { id: 're100-miss', label: 'GET, 100 RegExps, miss', kind: 'big', opts: () => ({ origin: RE100 }), req: GET(RE_MISS) },
  { id: 'pf-default', label: 'preflight, default options', kind: 'preflight', opts: () => undefined, req: PREFLIGHT(ORIGIN) },
  { id: 'pf-reflect', label: 'preflight, reflect ACRH', kind: 'preflight', opts: () => undefined, req: PREFLIGHT(ORIGIN, { 'access-control-request-headers': ACRH }) },
  {
    id: 'pf-full',
    label: 'preflight, list+credentials+maxAge+allowed+exposed',
    kind: 'preflight',
    opts: () => ({
      origin: LIST10,
      credentials: true,
      maxAge: 600,
      allowedHeaders: ['Content-Type', 'Authorization', 'X-Requested-With'],
      exposedHeaders: ['X-Request-Id', 'X-RateLimit-Remaining']
    }),
    req: PREFLIGHT(LIST10[9], { 'access-control-request-headers': ACRH })
  },
  { id: 'delegate', label: 'GET, options delegate (fresh object/req)', kind: 'dynamic', opts: () => makeDelegate(LIST10), req: GET(LIST10[9]) },
  { id: 'origin-cb', label: 'GET, origin callback', kind: 'dynamic', opts: () => ({ origin: makeOriginCallback(LIST10) }), req: GET(LIST10[9]) }
]

// Extra rows (mock only, not in the issue's targets): a rotating pool of
// distinct origins, so a verdict cache in rust-cors cannot hide the matching
// cost (8,192 > any sane cache size) -- what an attacker or a crawler sees.
const POOL = 8192
const rotate = (fn) => Array.from({ length: POOL }, (_, i) => fn(i))
const EXTRA = [
  { id: 'list1000-hit-rot', label: 'GET, list of 1,000, hit, 1,024 rotating', kind: 'big', opts: () => ({ origin: LIST1000 }), pool: Array.from({ length: 1024 }, (_, i) => GET(LIST1000[i % 1000])) },
  { id: 'list1000-miss-rot', label: 'GET, list of 1,000, miss, 8,192 rotating', kind: 'big', opts: () => ({ origin: LIST1000 }), pool: rotate((i) => GET(flat(`https://u${i}.evil.example.org`))) },
  { id: 're10-hit-rot', label: 'GET, 10 RegExps, hit, 8,192 rotating', kind: 'static', opts: () => ({ origin: RE10 }), pool: rotate((i) => GET(flat(`https://u${i}.tenant9.example.com`))) },
  { id: 're100-hit-rot', label: 'GET, 100 RegExps, hit, 8,192 rotating', kind: 'big', opts: () => ({ origin: RE100 }), pool: rotate((i) => GET(flat(`https://u${i}.tenant99.example.com`))) },
  { id: 're100-miss-rot', label: 'GET, 100 RegExps, miss, 8,192 rotating', kind: 'big', opts: () => ({ origin: RE100 }), pool: rotate((i) => GET(flat(`https://u${i}.other.example.com`))) }
]

// Worst cases: the cors figure beside each.
const WORST = [
  { id: 'w-origin10k-re', label: '10 KB Origin vs 10 RegExps (miss)', kind: 'worst', opts: () => ({ origin: RE10 }), req: GET(ORIGIN_10K) },
  { id: 'w-acrh10k', label: 'preflight, ACRH of 10,000 names (~80 KB)', kind: 'acrh', opts: () => undefined, req: PREFLIGHT(ORIGIN, { 'access-control-request-headers': ACRH_10K }) }
]

// ------------------------------------------------------------ issue 10 rows
//
// Dynamic and large policies, the shapes real apps use. Every side gets its
// own compiled copy of the delegate / wrapper (harness.compiled), so the two
// implementations never share type feedback. `make(factory)` builds the
// middleware a side times; `target` is issue 10's acceptance figure.

const SHARED10 = LIST10 // one array, shared by every options object the delegate returns

// 1,000 tenants, picked by the Host header (a fresh string per request, like
// the origin). Tenant i allows https://app.tenantI.example.com and
// https://admin.tenantI.example.com, with credentials.
const TENANTS = 1000
const tenantHost = (i) => flat(`api.tenant${i}.example.com`)
const tenantOrigins = (i) => [flat(`https://app.tenant${i}.example.com`), flat(`https://admin.tenant${i}.example.com`)]
// Requests: 1,024 (a power of two), tenants in turn, the app origin of each.
const TENANT_POOL = Array.from({ length: 1024 }, (_, i) => {
  const t = i % TENANTS
  return { method: 'GET', headers: { origin: tenantOrigins(t)[0], host: tenantHost(t) } }
})

// Each tenant's options object is built once at start-up and returned as is.
function tenantsReused (tenants = TENANTS) {
  const byHost = new Map()
  for (let i = 0; i < tenants; i++) byHost.set(tenantHost(i), { origin: tenantOrigins(i), credentials: true })
  return compiled(['byHost'], `return function tenantOptions (req, callback) {
    callback(null, byHost.get(req.headers.host))
  }`, byHost)
}

// The tenant's configuration is stored; the options object (and its origin
// array) is rebuilt from it on every request, as a delegate that reads a
// config record and returns a literal does.
function tenantsRebuilt () {
  const byHost = new Map()
  for (let i = 0; i < TENANTS; i++) {
    const [app, admin] = tenantOrigins(i)
    byHost.set(tenantHost(i), { app, admin })
  }
  return compiled(['byHost'], `return function tenantOptions (req, callback) {
    const tenant = byHost.get(req.headers.host)
    callback(null, { origin: [tenant.app, tenant.admin], credentials: true })
  }`, byHost)
}

const METHODS = ['GET', 'POST', 'OPTIONS', 'PUT', 'DELETE', 'PATCH'].map(flat)
const ALLOWED_HEADERS = ['Content-Type', 'Authorization', 'X-Requested-With', 'Uppy-Auth-Token', 'Uppy-Versions'].map(flat)
const EXPOSED_HEADERS = ['Access-Control-Allow-Headers', 'X-Request-Id', 'Uppy-Versions'].map(flat)
const ONE_REGEXP = /^https:\/\/([a-z0-9-]+\.)?example\.com$/

// cors(options) built per request, then called (Uppy Companion's pattern):
// a new options object with new method/header arrays (of the same strings)
// every request; `origin` is `true` or one RegExp object from the config.
function perRequest (origin) {
  return (factory) => compiled(['factory', 'origin', 'METHODS', 'ALLOWED', 'EXPOSED'], `return function perRequestCors (req, res, next) {
    return factory({
      origin,
      credentials: true,
      methods: [METHODS[0], METHODS[1], METHODS[2], METHODS[3], METHODS[4], METHODS[5]],
      allowedHeaders: [ALLOWED[0], ALLOWED[1], ALLOWED[2], ALLOWED[3], ALLOWED[4]],
      exposedHeaders: [EXPOSED[0], EXPOSED[1], EXPOSED[2]]
    })(req, res, next)
  }`, factory, origin, METHODS, ALLOWED_HEADERS, EXPOSED_HEADERS)
}

// A cold build: string-only options whose values were never seen before (a
// counter that never repeats goes into the origin list and into a header
// name), so no cache keyed on content can answer; then the first request.
function coldBuild (factory) {
  return compiled(['factory', 'METHODS'], `let serial = 0
  return function coldCors (req, res, next) {
    const id = serial++
    return factory({
      origin: ['https://app.example.com', 'https://c' + id + '.example.com', 'https://admin.example.com'],
      credentials: true,
      methods: METHODS,
      allowedHeaders: ['Content-Type', 'Authorization', 'X-Cold-' + id],
      exposedHeaders: ['X-Request-Id'],
      maxAge: 600
    })(req, res, next)
  }`, factory, METHODS)
}

// The same string-only options, built again per request (new object, new
// arrays, same values).
function warmBuild (factory) {
  return compiled(['factory', 'METHODS'], `return function repeatCors (req, res, next) {
    return factory({
      origin: ['https://app.example.com', 'https://c0.example.com', 'https://admin.example.com'],
      credentials: true,
      methods: METHODS,
      allowedHeaders: ['Content-Type', 'Authorization', 'X-Cold-0'],
      exposedHeaders: ['X-Request-Id'],
      maxAge: 600
    })(req, res, next)
  }`, factory, METHODS)
}

// Patterns: https://*.tenantI.example.com for I < n. cors has no patterns:
// the equivalent would be n RegExps, far slower; the row reports rust-cors's
// absolute ns. A pool of 8,192 distinct missing origins (more than rust-cors's
// verdict cache holds) with the same .example.com suffix.
const patternList = (n) => Array.from({ length: n }, (_, i) => flat(`https://*.tenant${i}.example.com`))
const patternRegExps = (n) => Array.from({ length: n }, (_, i) => new RegExp(`^https:\\/\\/[^/]+\\.tenant${i}\\.example\\.com$`))
const PATTERN_MISS_POOL = (n) => Array.from({ length: POOL }, (_, i) => GET(flat(`https://u${i}.tenant${n + i}.example.com`)))

const ISSUE10 = [
  {
    id: 'i10-delegate-shared10',
    label: 'delegate → { origin: shared array of 10, credentials }',
    kind: 'dynamic',
    opts: () => compiled(['SHARED'], `return function sharedDelegate (req, callback) {
      callback(null, { origin: SHARED, credentials: true })
    }`, SHARED10),
    req: GET(LIST10[9]),
    res: ['mock', 'real'],
    target: { mock: { vsCors: 0.5 }, real: { vsCors: 1.0, vsFloor: 2.0 } }
  },
  { id: 'i10-tenants-reused', label: 'delegate, 1,000 tenants, options object reused', kind: 'dynamic', opts: () => tenantsReused(), pool: TENANT_POOL, target: { mock: { vsCors: 1.0 } }, issue19: { label: '1,000 tenants via a delegate, options reused', mock: { vsCors: 0.5 } } },
  { id: 'i10-tenants-rebuilt', label: 'delegate, 1,000 tenants, options rebuilt per request', kind: 'dynamic', opts: tenantsRebuilt, pool: TENANT_POOL, target: { mock: { vsCors: 1.0 } }, issue19: { label: '1,000 tenants via a delegate, options rebuilt', mock: { vsCors: 0.5 } } },
  { id: 'i10-per-request-true', label: 'cors(options) per request, origin: true + credentials + lists', kind: 'dynamic', make: perRequest(true), req: GET(ORIGIN), target: { mock: { vsCors: 1.0 } } },
  { id: 'i10-per-request-regexp', label: 'cors(options) per request, one RegExp origin + lists', kind: 'dynamic', make: perRequest(ONE_REGEXP), req: GET(ORIGIN), target: { mock: { vsCors: 1.0 } } },
  // Issue 19 decided that this 2x line is relaxed (<= 10x for options new in
  // every field) and replaced by its rows (only origin strings new; every
  // field new): shown, not counted (`replaced`).
  { id: 'i10-cold-string', label: 'cold build (new string-only options) + first request', kind: 'dynamic', make: coldBuild, req: GET(ORIGIN), target: { mock: { vsCors: 2.0 } }, replaced: "replaced by issue 19's cold-build rows" },
  { id: 'i10-repeat-string', label: 'same string-only options rebuilt + request', kind: 'dynamic', make: warmBuild, req: GET(ORIGIN), target: { mock: { vsCors: 1.0 } } },
  { id: 'i10-origin10k-list1000', label: '10 KB Origin vs list of 1,000 exact (miss)', kind: 'worst', opts: () => ({ origin: LIST1000 }), req: GET(ORIGIN_10K), target: { mock: { vsCors: 0.5 } } },
  { id: 'i10-patterns1000', label: '1,000 patterns, distinct missing Origin (8,192 rotating)', kind: 'patterns', opts: () => ({ origin: patternList(1000) }), corsEquivalent: () => ({ origin: patternRegExps(1000) }), pool: PATTERN_MISS_POOL(1000), target: { mock: { absNs: 300 } } },
  { id: 'i10-patterns100000', label: '100,000 patterns, distinct missing Origin (8,192 rotating)', kind: 'patterns', opts: () => ({ origin: patternList(100000) }), corsEquivalent: () => ({ origin: patternRegExps(100000) }), pool: PATTERN_MISS_POOL(100000), target: { mock: { absNs: 1000 } } }
]

// ------------------------------------------------------------ adapters
//
// rust-cors/koa vs @koa/cors, rust-cors/hono vs hono/cors (benchmark/adapters.js),
// each in its own package's vocabulary. Koa has no allow-list option: its
// users pass a function, the same one on both sides.
const koaAllowList = () => (ctx) => {
  const origin = ctx.get('Origin')
  return LIST10.includes(origin) ? origin : ''
}
const honoAllowList = () => (origin) => (LIST10.includes(origin) ? origin : null)
const PREFLIGHT_HEADERS = { 'access-control-request-headers': ACRH }
const ADAPTERS = [
  { id: 'koa-star', framework: 'koa', label: "GET, origin '*' (default)", opts: () => undefined, req: GET(ORIGIN) },
  { id: 'koa-fixed', framework: 'koa', label: 'GET, fixed origin', opts: () => ({ origin: ORIGIN }), req: GET(ORIGIN) },
  { id: 'koa-credentials', framework: 'koa', label: 'GET, credentials (reflects the Origin)', opts: () => ({ credentials: true }), req: GET(ORIGIN) },
  { id: 'koa-function', framework: 'koa', label: 'GET, origin function (list of 10)', opts: () => ({ origin: koaAllowList() }), req: GET(LIST10[9]) },
  { id: 'koa-preflight', framework: 'koa', label: 'preflight, fixed origin+allowHeaders+maxAge', opts: () => ({ origin: ORIGIN, allowHeaders: ['Content-Type', 'Authorization'], maxAge: 600 }), req: PREFLIGHT(ORIGIN, PREFLIGHT_HEADERS) },
  { id: 'hono-star', framework: 'hono', label: "GET, origin '*' (default)", opts: () => undefined, req: GET(ORIGIN) },
  { id: 'hono-fixed', framework: 'hono', label: 'GET, origin string', opts: () => ({ origin: ORIGIN }), req: GET(ORIGIN) },
  { id: 'hono-list', framework: 'hono', label: 'GET, origin list of 10, hit (last)', opts: () => ({ origin: LIST10 }), req: GET(LIST10[9]) },
  { id: 'hono-function', framework: 'hono', label: 'GET, origin function (list of 10)', opts: () => ({ origin: honoAllowList() }), req: GET(LIST10[9]) },
  { id: 'hono-preflight', framework: 'hono', label: 'preflight, list+credentials+allowHeaders+maxAge', opts: () => ({ origin: LIST10, credentials: true, allowHeaders: ['Content-Type', 'Authorization'], maxAge: 600 }), req: PREFLIGHT(LIST10[9], PREFLIGHT_HEADERS) }
]

// ------------------------------------------------------------ issue 19 rows
//
// Multi-tenant at scale, new origin lists, cold builds. Rows of the sets
// above carry their issue 19 line too (`issue19`: the issue's name for the
// row and its target); these are the rows it adds.

// 100,000 tenants, each tenant's options object built once and kept by the
// app; requests visit every tenant (a pool of 131,072, tenants in turn).
// `prewarm`: both sides see every request of the pool once before timing.
const TENANTS_100K = 100000
const TENANT_POOL_100K = Array.from({ length: 131072 }, (_, i) => {
  const t = i % TENANTS_100K
  return { method: 'GET', headers: { origin: flat(`https://app.tenant${t}.example.com`), host: tenantHost(t) } }
})

// cors(options) built per request where only the origin strings are new
// (three never seen before, as `cors({ origin: req.o })` with a tenant's
// list); every other value is the app's configuration, the same each time.
function newOrigins (factory) {
  return compiled(['factory', 'METHODS', 'ALLOWED', 'EXPOSED'], `let serial = 0
  return function newOriginsCors (req, res, next) {
    const id = serial++
    return factory({
      origin: ['https://app' + id + '.example.com', 'https://admin' + id + '.example.com', 'https://example.com'],
      credentials: true,
      methods: METHODS,
      allowedHeaders: ALLOWED,
      exposedHeaders: EXPOSED,
      maxAge: 600
    })(req, res, next)
  }`, factory, METHODS, ALLOWED_HEADERS, EXPOSED_HEADERS)
}

// Options new in every field: origins, methods, allowed and exposed headers,
// maxAge (the cold build: issue 19 accepts <= 10x cors for it).
function allNew (factory) {
  return compiled(['factory'], `let serial = 0
  return function allNewCors (req, res, next) {
    const id = serial++
    return factory({
      origin: ['https://app' + id + '.example.com', 'https://admin' + id + '.example.com', 'https://example.com'],
      credentials: true,
      methods: ['GET', 'POST', 'X-M' + id],
      allowedHeaders: ['Content-Type', 'X-A' + id],
      exposedHeaders: ['X-E' + id],
      maxAge: 600 + (id % 100000)
    })(req, res, next)
  }`, factory)
}

const ISSUE19 = [
  { id: 'i19-tenants100k-reused', label: 'delegate, 100,000 tenants, options object reused', kind: 'dynamic', opts: () => tenantsReused(TENANTS_100K), pool: TENANT_POOL_100K, prewarm: true, issue19: { label: '100,000 tenants via a delegate, options reused', mock: { vsCors: 0.7 } } },
  { id: 'i19-new-origins', label: 'cors(options) per request, only origin strings new', kind: 'dynamic', make: newOrigins, req: GET(ORIGIN), issue19: { label: 'cors(options) per request, only origin strings new', mock: { vsCors: 2.0 } } },
  { id: 'i19-cold-all', label: 'cors(options) per request, every field new (cold build)', kind: 'dynamic', make: allNew, req: GET(ORIGIN), issue19: { label: 'cors(options) per request, fully new options (cold build)', mock: { vsCors: 10.0 } } }
]

// Issue 19's real ServerResponse lines: the allowed-origin rows <= 1.2x the
// floor, every other static row <= 1.15x.
const ALLOWED_ORIGIN_ROWS = new Set(['get-fixed', 'get-true', 'list10-hit', 'list1000-hit', 're1-hit', 're10-hit', 're100-hit'])
const REAL_FLOOR_19 = { allowed: 1.2, other: 1.15 }

module.exports = {
  ADAPTERS,
  ISSUE19,
  ALLOWED_ORIGIN_ROWS,
  REAL_FLOOR_19,
  SHAPES,
  EXTRA,
  WORST,
  ISSUE10,
  BACKTRACK_RE,
  backtrackOrigin,
  ORIGIN,
  LIST10,
  ACRH_10K
}

'use strict'

// The benchmark shapes: options, request headers and the targets the lead
// checks. All strings that reach the middleware are flat (see harness.flat).

const { flat } = require('./harness')

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

// Extra rows (mock only, not in the targets): a rotating pool of
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
  { id: 'w-origin10k-list', label: '10 KB Origin vs list of 1,000 (miss)', kind: 'worst', opts: () => ({ origin: LIST1000 }), req: GET(ORIGIN_10K) },
  { id: 'w-origin10k-re', label: '10 KB Origin vs 10 RegExps (miss)', kind: 'worst', opts: () => ({ origin: RE10 }), req: GET(ORIGIN_10K) },
  { id: 'w-acrh10k', label: 'preflight, ACRH of 10,000 names (~80 KB)', kind: 'acrh', opts: () => undefined, req: PREFLIGHT(ORIGIN, { 'access-control-request-headers': ACRH_10K }) }
]

module.exports = {
  SHAPES,
  EXTRA,
  WORST,
  BACKTRACK_RE,
  backtrackOrigin,
  ORIGIN,
  LIST10,
  ACRH_10K
}

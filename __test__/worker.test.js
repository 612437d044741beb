'use strict'

// rust-cors inside worker_threads: the package entry (and so the native addon) loads in a Worker,
// two policies answer mock requests exactly like cors@2.8.6 does in the main thread, two workers
// run at once, and terminating a worker mid-flight (or while it is still loading) leaves the parent
// process healthy and able to load the package again.

const path = require('node:path')
const { Worker } = require('node:worker_threads')
const corsRef = require('cors')

const SELFTEST = process.env.DIFF_SELFTEST === '1'
const ENTRY = SELFTEST ? require.resolve('cors') : path.resolve(__dirname, '..')

// The worker's source. It evaluates the two policies from source text (functions and RegExps cannot
// be posted), answers {id, policy, req} messages with what the middleware did to a mock response.
const WORKER_SOURCE = `
'use strict'
const { parentPort, workerData } = require('node:worker_threads')
// RustCorsWarnings go to the test file's collection (__test__/setup/warnings.js), not to stderr
const emitWarning = process.emitWarning
process.emitWarning = function (warning, options, ...rest) {
  if (options && options.type === 'RustCorsWarning') return parentPort.postMessage({ type: 'warning', code: options.code, message: String(warning) })
  return emitWarning.call(this, warning, options, ...rest)
}
const cors = require(workerData.entry)
${mockSource()}
const policies = workerData.policies.map((src) => cors(new Function('return (' + src + ')')()))
parentPort.on('message', (msg) => {
  if (msg.type === 'flood') {
    // keep the worker busy with requests until it is terminated
    let n = 0
    const tick = () => {
      for (let i = 0; i < 200; i++) {
        run(policies[n % policies.length], { method: n % 3 ? 'GET' : 'OPTIONS', headers: { origin: 'https://x' + (n % 50) + '.example.com' } }, () => {})
        n++
      }
      parentPort.postMessage({ type: 'progress', n })
      setImmediate(tick)
    }
    tick()
    return
  }
  run(policies[msg.policy], msg.req, (out) => parentPort.postMessage({ type: 'result', id: msg.id, out }))
})
parentPort.postMessage({ type: 'ready', threadId: require('node:worker_threads').threadId })
`

// shared by the worker and the main thread: a fake req/res with only what cors touches
function mockSource () {
  return `
function run (mw, reqSpec, done) {
  const headers = new Map()
  const res = {
    statusCode: 200,
    getHeader (n) { const e = headers.get(n.toLowerCase()); return e && e[1] },
    setHeader (n, v) { const k = n.toLowerCase(); const e = headers.get(k); if (e) e[1] = v; else headers.set(k, [n, v]) },
    end () { finish('end') }
  }
  let finished = false
  function finish (how) {
    if (finished) return
    finished = true
    done({ how, status: res.statusCode, headers: Array.from(headers.values()).map(([n, v]) => [n, String(v)]) })
  }
  const req = { method: reqSpec.method, headers: Object.assign({}, reqSpec.headers) }
  mw(req, res, (err) => finish(err ? 'next(err:' + (err.message || err) + ')' : 'next()'))
}
`
}

// eslint-disable-next-line no-new-func
const run = new Function(mockSource() + '; return run')()

const POLICIES = [
  "{ origin: ['http://a.com', /\\.example\\.com$/, /^https:\\/\\/[a-z]+\\.test$/i], credentials: true, exposedHeaders: ['X-1', 'X-2'] }",
  "{ origin: function (origin, cb) { setImmediate(function () { cb(null, origin === 'http://b.com' ? 'http://b.com' : false) }) }, methods: ['GET', 'PUT'], maxAge: 5, allowedHeaders: 'X-A' }"
]

const REQUESTS = [
  { method: 'GET', headers: { origin: 'http://a.com' } },
  { method: 'GET', headers: { origin: 'https://api.example.com' } },
  { method: 'GET', headers: { origin: 'https://API.test' } },
  { method: 'GET', headers: { origin: 'http://evil.com' } },
  { method: 'GET', headers: {} },
  { method: 'OPTIONS', headers: { origin: 'http://a.com', 'access-control-request-headers': 'x-a, X-B' } },
  { method: 'OPTIONS', headers: { origin: 'http://evil.com' } },
  { method: 'OPTIONS', headers: { origin: 'http://b.com', 'access-control-request-headers': 'x-z' } },
  { method: 'GET', headers: { origin: 'http://b.com' } },
  { method: 'options', headers: { origin: 'https://www.example.com' } }
]

function expected (policyIndex, req) {
  // eslint-disable-next-line no-new-func
  const mw = corsRef(new Function('return (' + POLICIES[policyIndex] + ')')())
  return new Promise((resolve) => run(mw, req, resolve))
}

function startWorker () {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { entry: ENTRY, policies: POLICIES } })
  const pending = new Map()
  const listeners = new Set()
  let nextId = 1
  worker.on('message', (m) => {
    if (m.type === 'warning') {
      globalThis.rustCorsWarnings.push({ code: m.code, message: m.message })
      return
    }
    if (m.type === 'result') {
      pending.get(m.id)(m.out)
      pending.delete(m.id)
    }
    for (const l of listeners) l(m)
  })
  const ready = new Promise((resolve, reject) => {
    const l = (m) => { if (m.type === 'ready') { listeners.delete(l); resolve(m.threadId) } }
    listeners.add(l)
    worker.once('error', reject)
  })
  return {
    worker,
    ready,
    listeners,
    ask (policy, req) {
      const id = nextId++
      return new Promise((resolve) => {
        pending.set(id, resolve)
        worker.postMessage({ id, policy, req })
      })
    }
  }
}

jest.setTimeout(60000)

test('a worker loads the package entry, builds two policies and answers like cors', async () => {
  const w = startWorker()
  try {
    const threadId = await w.ready
    expect(threadId).toBeGreaterThan(0)
    for (let p = 0; p < POLICIES.length; p++) {
      for (const req of REQUESTS) {
        const [got, want] = await Promise.all([w.ask(p, req), expected(p, req)])
        expect({ policy: p, req, out: got }).toEqual({ policy: p, req, out: want })
      }
    }
    // spot-check that the comparison is meaningful
    const allowed = await w.ask(0, REQUESTS[1])
    expect(allowed.headers).toEqual([
      ['Access-Control-Allow-Origin', 'https://api.example.com'], ['Vary', 'Origin'],
      ['Access-Control-Allow-Credentials', 'true'], ['Access-Control-Expose-Headers', 'X-1,X-2']
    ])
    const preflight = await w.ask(1, REQUESTS[7])
    expect(preflight.how).toBe('end')
    expect(preflight.status).toBe(204)
    expect(preflight.headers).toContainEqual(['Access-Control-Allow-Methods', 'GET,PUT'])
    expect(preflight.headers).toContainEqual(['Access-Control-Max-Age', '5'])
    const refused = await w.ask(1, REQUESTS[6])
    expect(refused).toEqual({ how: 'next()', status: 200, headers: [] })
  } finally {
    await w.worker.terminate()
  }
})

test('two workers at once answer interleaved requests independently', async () => {
  const a = startWorker()
  const b = startWorker()
  try {
    const [ta, tb] = await Promise.all([a.ready, b.ready])
    expect(ta).not.toBe(tb)
    const jobs = []
    for (let round = 0; round < 5; round++) {
      for (let p = 0; p < POLICIES.length; p++) {
        for (const req of REQUESTS) {
          const w = (round + p) % 2 ? a : b
          jobs.push(Promise.all([w.ask(p, req), expected(p, req)]).then(([got, want]) => ({ got, want, p, req })))
        }
      }
    }
    const results = await Promise.all(jobs)
    expect(results.length).toBe(5 * POLICIES.length * REQUESTS.length)
    for (const r of results) expect({ p: r.p, req: r.req, out: r.got }).toEqual({ p: r.p, req: r.req, out: r.want })
  } finally {
    await Promise.all([a.worker.terminate(), b.worker.terminate()])
  }
})

test('terminating workers mid-flight and mid-load does not crash the parent', async () => {
  // 1. a worker flooding requests (native matcher calls, pending async origin callbacks) is terminated
  const busy = startWorker()
  await busy.ready
  await new Promise((resolve) => {
    const l = (m) => { if (m.type === 'progress' && m.n >= 2000) { busy.listeners.delete(l); resolve() } }
    busy.listeners.add(l)
    busy.worker.postMessage({ type: 'flood' })
  })
  const pendingAnswer = busy.ask(0, REQUESTS[1]) // in flight when the worker dies; never answered
  const exitCode = await busy.worker.terminate()
  expect(exitCode).toBe(1)
  let answered = false
  pendingAnswer.then(() => { answered = true })

  // 2. a worker terminated while it is still loading the package
  const loading = startWorker()
  loading.ready.catch(() => {})
  const code2 = await loading.worker.terminate()
  expect(typeof code2).toBe('number')

  // 3. the parent is fine: it loads the entry itself and a fresh worker works
  const pkg = require(ENTRY)
  const mw = pkg({ origin: /\.example\.com$/ })
  const out = await new Promise((resolve) => run(mw, REQUESTS[1], resolve))
  expect(out.headers[0]).toEqual(['Access-Control-Allow-Origin', 'https://api.example.com'])

  const fresh = startWorker()
  try {
    await fresh.ready
    const [got, want] = await Promise.all([fresh.ask(0, REQUESTS[2]), expected(0, REQUESTS[2])])
    expect(got).toEqual(want)
  } finally {
    await fresh.worker.terminate()
  }
  await new Promise((resolve) => setTimeout(resolve, 50))
  expect(answered).toBe(false)
})

// Compiled with `tsc --noEmit` by the test suite: every form @types/cors accepts
// must type-check against rust-cors's index.d.ts too.
import express = require('express')
import rustCors = require('rust-cors')
import type { CorsOptions, CorsOptionsDelegate, CorsRequest } from 'rust-cors'
import corsTypes = require('cors')

const app = express()
app.use(rustCors())
app.use(rustCors({ origin: '*' }))
app.use(rustCors({ origin: true, credentials: true, maxAge: 600 }))
app.use(rustCors({ origin: false }))
app.use(rustCors({ origin: 'https://a.example.com' }))
app.use(rustCors({ origin: /^https:\/\/(.+\.)?example\.com$/ }))
app.use(rustCors({ origin: ['https://a.com', /^https:\/\/b\.com$/, true, ['https://c.com']] }))
app.use(rustCors({ origin: (origin, cb) => cb(null, origin === 'https://a.com') }))
app.use(rustCors({ origin: (origin, cb) => cb(new Error('no')) }))
app.use(rustCors({ origin: async (origin) => origin === 'https://a.com' }))
app.use(rustCors({
  methods: ['GET', 'POST'],
  allowedHeaders: 'Content-Type,Authorization',
  headers: ['X-A'],
  exposedHeaders: ['X-Total'],
  preflightContinue: true,
  optionsSuccessStatus: 200,
  strict: true,
  strictPreflight: true,
  allowPrivateNetwork: true,
  cacheControl: 600
}))
app.use(rustCors({ methods: 'GET,POST', exposedHeaders: 'X-A', allowedHeaders: ['A'], cacheControl: 'no-store' }))

const delegate: CorsOptionsDelegate<express.Request> = (req, cb) => {
  cb(null, { origin: req.header('Origin') === 'https://a.com' })
}
app.use(rustCors(delegate))
app.use(rustCors(async (req: CorsRequest) => ({ origin: req.headers.origin === 'https://a.com' })))

const opts: CorsOptions = { origin: 'https://a.com' }
app.options('/x', rustCors(opts))

// Anything typed for cors is accepted by rust-cors.
const fromCors: corsTypes.CorsOptions = { origin: [/a/, 'b'], credentials: true }
app.use(rustCors(fromCors))
const delegateFromCors: corsTypes.CorsOptionsDelegate = (req, cb) => cb(null, fromCors)
app.use(rustCors(delegateFromCors))

// Other entry points.
const same: typeof rustCors = rustCors.rustCors
const same2: typeof rustCors = rustCors.default
same({})
same2({})
async function explained (): Promise<void> {
  // A Promise when a callback answers later; awaiting covers both.
  const ex = await rustCors.explain({ origin: 'https://a.com' }, { method: 'PUT', headers: { origin: 'https://a.com' } })
  const ok: boolean = ex.allowed
  const codes: string[] = ex.reasons.map((r) => r.code)
  const severities: Array<'error' | 'warning'> = ex.reasons.map((r) => r.severity)
  const fixes: string[] = ex.reasons.map((r) => r.fix)
  void [ok, codes, severities, fixes]
  const later = rustCors.explain(async () => ({ origin: true }), { headers: { origin: 'https://a.com' } })
  // @ts-expect-error it may be a Promise
  void later.allowed
}
void explained
const nginx: { http: string, location: string } = rustCors.toNginx({ origin: ['https://a.com'] }, { prefix: 'api' })
void nginx

// A plain node:http server.
import http = require('http')
const mw = rustCors({ origin: 'https://a.com' })
http.createServer((req, res) => mw(req, res, () => res.end('ok')))

// Wrong types must be rejected, as @types/cors rejects them.
// @ts-expect-error methods is a string or string[]
rustCors({ methods: 42 })
// @ts-expect-error credentials is a boolean
rustCors({ credentials: 'true' })

// Compiled with tsc by the test suite: the forms @koa/cors's README and its
// types (@types/koa__cors) accept must type-check against rust-cors/koa.
import Koa = require('koa')
import cors = require('rust-cors/koa')
import koaCors = require('@koa/cors')

const app = new Koa()
app.use(cors())
app.use(cors({ origin: 'https://app.example.com', credentials: true }))
app.use(cors({ origin: 'https://*.example.com' })) // rust-cors: a pattern
app.use(cors({ origin: (ctx) => ctx.get('Origin') }))
app.use(cors({ origin: async (ctx) => (ctx.get('Origin') === 'https://a.com' ? 'https://a.com' : '') }))
app.use(cors({ origin: (ctx) => (ctx.path.startsWith('/public') ? '*' : undefined) }))
app.use(cors({
  allowMethods: ['GET', 'POST'],
  exposeHeaders: 'X-Total',
  allowHeaders: ['Content-Type', 'Authorization'],
  maxAge: '3600',
  credentials: (ctx) => ctx.path !== '/public',
  keepHeadersOnError: false,
  secureContext: true,
  privateNetworkAccess: true,
  strict: true
}))
app.use(cors({ maxAge: 600, credentials: async () => true, allowMethods: 'GET,POST', exposeHeaders: ['X-A'] }))

// Every options object @koa/cors's types accept is accepted here.
const theirs: koaCors.Options = { origin: (ctx: Koa.Context) => Promise.resolve(ctx.get('Origin')), maxAge: 1 }
const ours: cors.Options = theirs
app.use(cors(ours))
const middleware: Koa.Middleware = cors(theirs)
app.use(middleware)

const nginx: { http: string, location: string } = cors.toNginx({ origin: 'https://a.com' }, { prefix: 'api' })
void nginx
void cors.default

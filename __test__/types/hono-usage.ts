// Compiled with tsc by the test suite: the forms hono/cors's README (hono.dev
// docs) and types accept must type-check against rust-cors/hono.
import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import { cors, toNginx } from 'rust-cors/hono'
import type { CORSOptions } from 'rust-cors/hono'
import { cors as honoCors } from 'hono/cors'

const app = new Hono()
app.use('/api/*', cors())
app.use(
  '/api2/*',
  cors({
    origin: 'http://example.com',
    allowHeaders: ['X-Custom-Header', 'Upgrade-Insecure-Requests'],
    allowMethods: ['POST', 'GET', 'OPTIONS'],
    exposeHeaders: ['Content-Length', 'X-Kuma-Revision'],
    maxAge: 600,
    credentials: true
  })
)
app.use('/api3/*', cors({ origin: ['https://example.com', 'https://*.example.org'], strict: true }))
app.use('/api4/*', cors({ origin: (origin) => (origin.endsWith('.example.com') ? origin : 'http://example.com') }))
app.use('/api5/*', cors({ origin: async (origin, c) => (c.req.header('x-tenant') ? origin : null) }))
app.use('/api6/*', cors({ allowMethods: (origin, c) => (origin === 'https://a.com' && c.req.method ? ['GET', 'PUT'] : ['GET']) }))
app.use('/api7/*', cors({ allowMethods: async () => ['GET'] }))
app.all('/api/abc', (c) => c.json({ success: true }))

// Every options object hono/cors's types accept is accepted here.
const theirs: NonNullable<Parameters<typeof honoCors>[0]> = { origin: ['https://a.com'], maxAge: 1, credentials: false }
const ours: CORSOptions = theirs
const handler: MiddlewareHandler = cors(ours)
app.use(handler)

const nginx: { http: string, location: string } = toNginx({ origin: 'https://a.com' }, { prefix: 'api' })
void nginx

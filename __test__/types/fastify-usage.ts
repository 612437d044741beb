// Compiled with `tsc --noEmit` by the test suite: the forms of @fastify/cors's
// README and of its own type tests (types/index.tst.ts, 11.4.3) must
// type-check against rust-cors/fastify's fastify.d.ts too.
import fastify, { FastifyRequest } from 'fastify'
import fastifyCors, {
  AsyncOriginFunction,
  FastifyCorsOptions,
  FastifyCorsOptionsDelegate,
  FastifyCorsOptionsDelegatePromise,
  FastifyPluginOptionsDelegate,
  OriginFunction
} from 'rust-cors/fastify'
import { fastifyCors as named, explain, Explanation } from 'rust-cors/fastify'
import originalCors = require('@fastify/cors')

const app = fastify()
app.register(fastifyCors)
app.register(named, { origin: '*' })

const everything: FastifyCorsOptions = {
  origin: true,
  allowedHeaders: 'authorization,content-type',
  methods: 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
  credentials: true,
  exposedHeaders: 'authorization',
  maxAge: 13000,
  cacheControl: 13000,
  preflightContinue: false,
  optionsSuccessStatus: 200,
  preflight: false,
  strictPreflight: false,
  hideOptionsRoute: false,
  logLevel: 'silent'
}
app.register(fastifyCors, everything)
app.register(fastifyCors, {
  origin: '*',
  allowedHeaders: ['authorization', 'content-type'],
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  exposedHeaders: ['authorization'],
  cacheControl: 'public, max-age=3500'
})
app.register(fastifyCors, { origin: /\*/ })
app.register(fastifyCors, { origin: ['*', 'something'] })
app.register(fastifyCors, { origin: [/\*/, /something/] })
app.register(fastifyCors, { origin: ['https://a.example.com', /^https:\/\/b\.example\.com$/, ['https://c.example.com']] })
// rust-cors's own options.
app.register(fastifyCors, { origin: 'https://*.example.com', strict: true, allowPrivateNetwork: true })

const corsDelegate: OriginFunction = (origin, cb) => {
  if (origin === undefined || /localhost/.test(origin)) {
    cb(null, true)
    return
  }
  cb(new Error(), false)
}
app.register(fastifyCors, { origin: corsDelegate })
const asyncCorsDelegate: OriginFunction = async (origin) => origin === undefined || /localhost/.test(origin)
app.register(fastifyCors, { origin: asyncCorsDelegate })
app.register(fastifyCors, { origin: (_origin, cb) => cb(null, true) })
app.register(fastifyCors, { origin: (_origin, cb) => cb(null, '*') })
app.register(fastifyCors, { origin: (_origin, cb) => cb(null, /\*/) })
// `this` is the Fastify instance, as in @fastify/cors.
app.register(fastifyCors, {
  origin: function (origin, cb) {
    this.log.info(origin)
    cb(null, true)
  }
})

const appHttp2 = fastify({ http2: true })
appHttp2.register(fastifyCors)
appHttp2.register(fastifyCors, { origin: true, logLevel: 'silent' })
appHttp2.register(fastifyCors, {
  origin: (origin: string | undefined, cb: (err: Error | null, allow: boolean) => void) => {
    cb(null, origin === undefined)
  }
})
appHttp2.register(
  fastifyCors,
  (): FastifyCorsOptionsDelegate => (_req, cb) => {
    cb(null, { origin: [/\*/, /something/], credentials: true, maxAge: 13000, cacheControl: 13000 })
  }
)
appHttp2.register(
  fastifyCors,
  (): FastifyCorsOptionsDelegatePromise => () => Promise.resolve({ origin: [/\*/, /something/] })
)
const delegate: FastifyPluginOptionsDelegate<FastifyCorsOptionsDelegatePromise> = () => async () => ({ origin: true })
appHttp2.register(fastifyCors, delegate)
appHttp2.register(fastifyCors, { hook: 'onRequest' })
appHttp2.register(fastifyCors, { hook: 'preParsing' })
appHttp2.register(fastifyCors, { hook: 'preValidation' })
appHttp2.register(fastifyCors, { hook: 'preHandler' })
appHttp2.register(fastifyCors, { hook: 'preSerialization' })
// @ts-expect-error 11.4 refuses the onSend hook
appHttp2.register(fastifyCors, { hook: 'onSend' })
appHttp2.register(fastifyCors, {
  hook: 'preParsing',
  delegator: (req, cb) => {
    if (req.url.startsWith('/some-value')) cb(new Error())
    cb(null, { origin: [/\*/, /something/] })
  }
})
appHttp2.register(fastifyCors, {
  hook: 'preParsing',
  delegator: async (_req: FastifyRequest): Promise<FastifyCorsOptions> => ({ origin: true })
})
const asyncOriginFn: AsyncOriginFunction = async function (origin): Promise<boolean> {
  const seen: string | undefined = origin
  return seen !== undefined
}
appHttp2.register(fastifyCors, { hook: 'preParsing', origin: asyncOriginFn })

// Options typed for @fastify/cors work unchanged with rust-cors/fastify.
const original: originalCors.FastifyCorsOptions = { origin: ['https://a.example.com'], methods: ['GET'] }
app.register(fastifyCors, original)
const originalDelegate: originalCors.FastifyCorsOptionsDelegate = (_req, cb) => cb(null, original)
app.register(fastifyCors, { delegator: originalDelegate })

// rust-cors: explain() for the same options.
const explained: Explanation | Promise<Explanation> = explain(original, { method: 'PUT', headers: { origin: 'https://a.example.com' }, credentials: true })
const later: Promise<Explanation> = Promise.resolve(explained)
later.then((e) => e.reasons.map((r) => r.code))
explain(originalDelegate, { headers: { origin: 'https://a.example.com' } })

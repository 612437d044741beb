'use strict'

// Child process for benchmark/http-fastify.js: Fastify 5 hello world with no
// CORS, @fastify/cors or rust-cors/fastify, registered with the same options.
// Reports its port and, on request, its CPU time and request count over IPC.

const path = require('node:path')
const Fastify = require('fastify')

const variant = process.argv[2] || 'none'
const config = process.env.BENCH_HTTP_CONFIG || 'list'

function corsOptions () {
  if (config === 'default') return {}
  // The configuration: two strings and a RegExp, credentials, maxAge.
  if (config === 'list') {
    return { origin: ['https://app.example.com', 'https://admin.example.com', /^https:\/\/[a-z0-9-]+\.example\.org$/], credentials: true, maxAge: 600 }
  }
  if (config === 'function') return { origin: (origin, cb) => cb(null, origin === 'https://app.example.com') }
  throw new Error(`unknown BENCH_HTTP_CONFIG ${config} (default | list | function)`)
}

const app = Fastify()
if (variant === '@fastify/cors') app.register(require('@fastify/cors'), corsOptions())
else if (variant === 'rust-cors/fastify') app.register(require(path.resolve(__dirname, '..', 'lib', 'fastify.js')), corsOptions())
else if (variant !== 'none') throw new Error(`unknown variant ${variant}`)

let requests = 0
app.get('/', (req, reply) => {
  requests++
  reply.send('hello world')
})

app.listen({ port: 0, host: '127.0.0.1' }).then(() => {
  app.server.keepAliveTimeout = 60000
  process.send({ type: 'listening', port: app.server.address().port })
})

process.on('message', (msg) => {
  if (msg && msg.type === 'stats') {
    const cpu = process.cpuUsage()
    process.send({ type: 'stats', id: msg.id, cpuUs: cpu.user + cpu.system, requests })
  } else if (msg && msg.type === 'exit') {
    app.close().then(() => process.exit(0))
  }
})

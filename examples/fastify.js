'use strict'

// A small Fastify API behind rust-cors/fastify: `node examples/fastify.js`, then try the preflight
//   curl -X OPTIONS http://127.0.0.1:3001/data -H "Origin: http://localhost:5173" \
//     -H "Access-Control-Request-Method: POST" -H "Access-Control-Request-Headers: Content-Type" -i
// Outside this repository the require is require('rust-cors/fastify'), in place of
// require('@fastify/cors'); nothing else changes.

const Fastify = require('fastify')
const cors = require('../lib/fastify')

const app = Fastify({ logger: process.env.LOG === '1' })

app.register(cors, {
  // '*.example.com' is a rust-cors pattern: the origins it matches are reflected.
  origin: ['http://localhost:5173', 'https://*.example.com'],
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
  allowedHeaders: ['Content-Type', 'Authorization'],
  exposedHeaders: ['X-Total-Count'],
  credentials: true,
  maxAge: 600
})

// An authentication hook registered after the plugin: preflights never reach
// it, they are answered in the plugin's onRequest hook.
app.addHook('onRequest', async (req, reply) => {
  if (req.method !== 'OPTIONS' && req.url.startsWith('/private')) reply.code(401).send({ error: 'sign in first' })
})

const items = [{ id: 1, name: 'first' }]

app.get('/data', async (req, reply) => {
  reply.header('X-Total-Count', String(items.length))
  return items
})

app.post('/data', async (req, reply) => {
  const item = { id: items.length + 1, name: String((req.body && req.body.name) || 'unnamed') }
  items.push(item)
  reply.code(201)
  return item
})

// A route with its own CORS options, and one without CORS.
app.get('/public', { config: { cors: { origin: '*', credentials: false } } }, async () => ({ public: true }))
app.get('/internal', { config: { cors: false } }, async () => ({ internal: true }))

const port = Number(process.env.PORT) || 3001
const host = process.env.HOST || '127.0.0.1'
app.listen({ port, host }).then((address) => {
  console.log(`rust-cors/fastify demo API on ${address}/data`)
}, (err) => {
  console.error(`could not listen on ${host}:${port}: ${err.message} (set PORT to use another port)`)
  process.exit(1)
})

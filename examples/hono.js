'use strict'

// A small Hono API on Node (@hono/node-server) behind rust-cors/hono (the
// one-line switch from hono/cors):
//   node examples/hono.js          serves on http://127.0.0.1:3004
//   node examples/hono.js --once   serves, sends a preflight and a GET to itself, prints them, exits

const { Hono } = require('hono')
const { serve } = require('@hono/node-server')
const { cors } = require('rust-cors/hono') // was: require('hono/cors')

const app = new Hono()
app.use('/api/*', cors({
  // rust-cors: patterns beside exact origins
  origin: ['http://localhost:5173', 'https://*.example.com'],
  allowMethods: ['GET', 'POST', 'PUT'],
  allowHeaders: ['Content-Type', 'Authorization'],
  exposeHeaders: ['X-Total-Count'],
  credentials: true,
  maxAge: 600
}))
app.get('/api/data', (c) => {
  c.header('X-Total-Count', '1')
  return c.json([{ id: 1, name: 'first' }])
})

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT || 3004), hostname: '127.0.0.1' }, async (info) => {
  const url = `http://127.0.0.1:${info.port}/api/data`
  console.log(`Hono + rust-cors/hono on ${url}`)
  if (!process.argv.includes('--once')) return
  const show = (title, res) => {
    console.log(`\n${title}: ${res.status}`)
    for (const [name, value] of res.headers) if (/^(access-control-|vary)/.test(name)) console.log(`  ${name}: ${value}`)
  }
  show('preflight from https://app.example.com', await fetch(url, {
    method: 'OPTIONS',
    headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' }
  }))
  show('GET from https://evil.com (no Allow-Origin)', await fetch(url, { headers: { Origin: 'https://evil.com' } }))
  server.close()
})

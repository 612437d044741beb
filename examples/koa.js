'use strict'

// A small Koa API behind rust-cors/koa (the one-line switch from @koa/cors):
//   node examples/koa.js          serves on http://127.0.0.1:3003
//   node examples/koa.js --once   serves, sends a preflight and a GET to itself, prints them, exits
// Works with Koa 2 and Koa 3.

const Koa = require('koa')
const cors = require('rust-cors/koa') // was: require('@koa/cors')

const app = new Koa()
app.use(cors({
  // rust-cors: a pattern allows https://app.example.com, https://a.b.example.com, ...
  origin: 'https://*.example.com',
  allowMethods: ['GET', 'POST'],
  allowHeaders: ['Content-Type', 'Authorization'],
  exposeHeaders: ['X-Total-Count'],
  credentials: true,
  maxAge: 600
}))
app.use((ctx) => {
  ctx.set('X-Total-Count', '1')
  ctx.body = [{ id: 1, name: 'first' }]
})

const server = app.listen(Number(process.env.PORT || 3003), '127.0.0.1', async () => {
  const url = `http://127.0.0.1:${server.address().port}/data`
  console.log(`Koa + rust-cors/koa on ${url}`)
  if (!process.argv.includes('--once')) return
  const show = (title, res) => {
    console.log(`\n${title}: ${res.status}`)
    for (const [name, value] of res.headers) if (/^(access-control-|vary)/.test(name)) console.log(`  ${name}: ${value}`)
  }
  show('preflight from https://app.example.com', await fetch(url, {
    method: 'OPTIONS',
    headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' }
  }))
  show('GET from https://evil.com (no Allow-Origin)', await fetch(url, { headers: { Origin: 'https://evil.com' } }))
  server.close()
})

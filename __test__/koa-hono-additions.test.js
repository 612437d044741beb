'use strict'

// What rust-cors/koa and rust-cors/hono add to their packages: origin
// patterns, `strict`, toNginx from the subpath, the ESM entries. (Their
// drop-in behaviour is the upstream suites' and the differentials' job.)

const http = require('node:http')
const Koa = require('koa')
const { Hono } = require('hono')
const koaCors = require('rust-cors/koa')
const { cors: honoCors, toNginx: honoToNginx } = require('rust-cors/hono')

function koaRequest (app, headers, method = 'GET') {
  return new Promise((resolve, reject) => {
    const server = http.createServer(app.callback()).listen(0, '127.0.0.1', () => {
      const req = http.request({ host: '127.0.0.1', port: server.address().port, method, path: '/', headers }, (res) => {
        res.resume()
        res.on('end', () => { server.close(); resolve(res) })
      })
      req.on('error', reject)
      req.end()
    })
  })
}

test('koa: an origin pattern allows the origins it matches and sends nothing for others', async () => {
  const app = new Koa()
  app.use(koaCors({ origin: 'https://*.example.com', credentials: true }))
  app.use((ctx) => { ctx.body = 'ok' })
  const allowed = await koaRequest(app, { origin: 'https://app.example.com' })
  expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com')
  expect(allowed.headers.vary).toBe('Origin')
  const denied = await koaRequest(app, { origin: 'https://example.com.evil.net' })
  expect(denied.headers['access-control-allow-origin']).toBeUndefined()
  const preflight = await koaRequest(app, { origin: 'https://a.b.example.com', 'access-control-request-method': 'PUT' }, 'OPTIONS')
  expect(preflight.statusCode).toBe(204)
  expect(preflight.headers['access-control-allow-origin']).toBe('https://a.b.example.com')
})

test('hono: patterns in the origin array', async () => {
  const app = new Hono()
  app.use('*', honoCors({ origin: ['http://localhost:5173', 'https://*.example.com'] }))
  app.get('/', (c) => c.text('ok'))
  const allowed = await app.request('/', { headers: { origin: 'https://app.example.com' } })
  expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
  const exact = await app.request('/', { headers: { origin: 'http://localhost:5173' } })
  expect(exact.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
  const denied = await app.request('/', { headers: { origin: 'https://example.com.evil.net' } })
  expect(denied.headers.get('access-control-allow-origin')).toBeNull()
  expect(denied.headers.get('vary')).toBe('Origin')
})

test('strict: true makes the warnings errors, with their codes', () => {
  expect(() => koaCors({ credentials: true, strict: true })).toThrow(expect.objectContaining({ code: 'RUST_CORS_REFLECT_CREDENTIALS' }))
  expect(() => honoCors({ credentials: true, strict: true })).toThrow(expect.objectContaining({ code: 'RUST_CORS_WILDCARD_CREDENTIALS' }))
  expect(() => honoCors({ origin: undefined, strict: true })).toThrow(expect.objectContaining({ code: 'RUST_CORS_INVALID_OPTION' }))
  expect(() => koaCors({ origin: 'https://app.example.com', strict: true })).not.toThrow()
  expect(() => honoCors({ origin: ['https://app.example.com'], strict: true })).not.toThrow()
})

test('toNginx from each subpath takes that package\'s vocabulary', () => {
  const koa = koaCors.toNginx({ origin: 'https://app.example.com', allowMethods: ['GET', 'POST'], maxAge: 600 })
  expect(koa.http).toContain('"GET,POST"')
  expect(koa.http).toContain('"600"')
  expect(koa.location).toContain('add_header Access-Control-Allow-Methods $cors_allow_methods always;')
  const hono = honoToNginx({ origin: ['https://app.example.com'], allowHeaders: ['X-A'] }, { prefix: 'api' })
  expect(hono.http).toContain('https://app.example.com')
  expect(hono.http).toContain('X-A')
  expect(hono.location).toContain('$api_allow_headers')
})

test('the ESM entries export the same functions', () => {
  // jest runs CommonJS: the ESM entries are loaded by a child node.
  const source = `
    import { createRequire } from 'node:module'
    import koa, { toNginx as koaToNginx } from 'rust-cors/koa'
    import { cors, toNginx } from 'rust-cors/hono'
    const require = createRequire(import.meta.url)
    console.log(koa === require('rust-cors/koa'), koaToNginx === koa.toNginx,
      cors === require('rust-cors/hono').cors, toNginx === require('rust-cors/hono').toNginx)`
  const out = require('node:child_process').execFileSync(process.execPath, ['--input-type=module', '-e', source], { cwd: __dirname, encoding: 'utf8' })
  expect(out.trim()).toBe('true true true true')
})

test('hono on Node through @hono/node-server: the same response as hono/cors', async () => {
  const { serve } = require('@hono/node-server')
  const { cors: original } = require('hono/cors')
  const options = { origin: ['http://a.com', 'http://b.com'], credentials: true, allowHeaders: ['X-A'], exposeHeaders: ['X-E'], maxAge: 600 }
  const answers = []
  for (const cors of [original, honoCors]) {
    const app = new Hono()
    app.use('/api/*', cors(options))
    app.get('/api/data', (c) => c.json({ ok: true }))
    const server = await new Promise((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    const url = `http://127.0.0.1:${server.address().port}/api/data`
    const seen = []
    for (const init of [
      { method: 'OPTIONS', headers: { origin: 'http://a.com', 'access-control-request-method': 'PUT' } },
      { headers: { origin: 'http://b.com' } },
      { headers: { origin: 'http://evil.com' } }
    ]) {
      const res = await fetch(url, init)
      seen.push([res.status, [...res.headers].filter(([name]) => /^(access-control-|vary|content-length)/.test(name)), await res.text()])
    }
    answers.push(seen)
    await new Promise((resolve) => server.close(resolve))
  }
  expect(answers[0][0][0]).toBe(204)
  expect(answers[1]).toEqual(answers[0])
})

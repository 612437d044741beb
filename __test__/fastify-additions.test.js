'use strict'

// rust-cors/fastify beyond @fastify/cors's own tests (__test__/fastify-upstream.test.js) and the
// differential (__test__/fastify-differential.test.js): the subpath's exports, rust-cors's own
// options through the plugin, warnings, and the deliberate differences of docs/fastify.md.
// Requests go over real sockets (jest cannot load light-my-request, which fastify.inject uses).

const http = require('node:http')
const { execFileSync } = require('node:child_process')
const path = require('node:path')
const Fastify = require('fastify')
const cors = require('rust-cors/fastify')

const root = path.join(__dirname, '..')

async function serve (options, routes) {
  const app = Fastify()
  await app.register(cors, options)
  if (routes) routes(app)
  else app.get('/', async () => 'ok')
  await app.listen({ port: 0, host: '127.0.0.1' })
  return app
}

function request (app, method, headers, url = '/') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: app.server.address().port, method, path: url, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => { body += chunk })
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

const apps = []
afterEach(async () => {
  while (apps.length > 0) await apps.pop().close()
})
async function app (options, routes) {
  const a = await serve(options, routes)
  apps.push(a)
  return a
}

describe('the rust-cors/fastify subpath', () => {
  test('exports the plugin as itself, .default and .fastifyCors, with fastify-plugin\'s marks', () => {
    expect(cors.default).toBe(cors)
    expect(cors.fastifyCors).toBe(cors)
    expect(cors[Symbol.for('skip-override')]).toBe(true)
    expect(cors[Symbol.for('fastify.display-name')]).toBe('@fastify/cors')
    expect(cors[Symbol.for('plugin-meta')]).toEqual({ fastify: '5.x', name: '@fastify/cors' })
    expect(require('../lib/fastify')).toBe(cors)
  })

  test('ESM: default and named import', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e',
      "import cors, { fastifyCors } from 'rust-cors/fastify'; import { createRequire } from 'node:module'; " +
      "const require = createRequire(import.meta.url); console.log(cors === fastifyCors, cors === require('rust-cors/fastify'), cors.name)"],
    { cwd: root, encoding: 'utf8' })
    expect(out.trim()).toBe('true true fastifyCors')
  })
})

describe("rust-cors's own options through the plugin", () => {
  test('an origin pattern reflects the origins it matches, with Vary: Origin', async () => {
    const a = await app({ origin: ['https://*.example.com'], credentials: true })
    const hit = await request(a, 'GET', { origin: 'https://api.example.com' })
    expect(hit.headers['access-control-allow-origin']).toBe('https://api.example.com')
    expect(hit.headers.vary).toBe('Origin')
    const miss = await request(a, 'GET', { origin: 'https://example.com.evil.net' })
    expect(miss.headers['access-control-allow-origin']).toBeUndefined()
    expect(miss.headers.vary).toBe('Origin')
  })

  test('strict: true makes a warning an error at registration', async () => {
    const a = Fastify()
    await expect(a.register(cors, { origin: /example\.com/, strict: true }))
      .rejects.toMatchObject({ code: 'RUST_CORS_UNANCHORED_REGEX' })
    await a.close()
  })

  test('a warning is emitted once per process, with its code', async () => {
    const seen = []
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation((message, options) => { seen.push(options.code) })
    try {
      await app({ origin: /^https:\/\/example.org$/ })
      await app({ origin: /^https:\/\/example.org$/ })
    } finally {
      spy.mockRestore()
    }
    expect(seen).toEqual(['RUST_CORS_UNANCHORED_REGEX'])
  })

  test('allowPrivateNetwork answers a Private Network Access preflight', async () => {
    const a = await app({ origin: 'https://app.example.com', allowPrivateNetwork: true })
    const res = await request(a, 'OPTIONS', {
      origin: 'https://app.example.com',
      'access-control-request-method': 'GET',
      'access-control-request-private-network': 'true'
    })
    expect(res.status).toBe(204)
    expect(res.headers['access-control-allow-private-network']).toBe('true')
  })

  test('a rust-cors option of the wrong type rejects register()', async () => {
    const a = Fastify()
    await expect(a.register(cors, { allowPrivateNetwork: 'yes' })).rejects.toMatchObject({ code: 'RUST_CORS_INVALID_OPTION' })
    await a.close()
  })
})

describe('Fastify behaviour', () => {
  test('the preflight is answered in the hook, before an authentication hook added later', async () => {
    const a = await app({ origin: 'https://app.example.com' }, (f) => {
      f.addHook('onRequest', async (req, reply) => { reply.code(401).send('sign in') })
      f.get('/', async () => 'ok')
    })
    const preflight = await request(a, 'OPTIONS', { origin: 'https://app.example.com', 'access-control-request-method': 'GET' })
    expect(preflight.status).toBe(204)
    expect(preflight.headers['access-control-allow-methods']).toBe('GET,HEAD,POST')
    expect(preflight.headers['content-length']).toBe('0')
    const get = await request(a, 'GET', { origin: 'https://app.example.com' })
    expect(get.status).toBe(401)
    expect(get.headers['access-control-allow-origin']).toBe('https://app.example.com')
  })

  test('the origin function is called with this bound to the Fastify instance', async () => {
    let self = null
    const a = await app({ origin: function (origin, cb) { self = this; cb(null, true) } })
    const res = await request(a, 'GET', { origin: 'https://app.example.com' })
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com')
    expect(self).toBe(a)
  })

  test('a callback that answers twice is answered once, with a warning', async () => {
    const seen = []
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation((message, options) => { seen.push(options.code) })
    try {
      // async and taking the callback: it calls back, then its Promise resolves to undefined
      const a = await app({ origin: async (origin, cb) => { cb(null, true) } })
      const res = await request(a, 'GET', { origin: 'https://app.example.com' })
      expect(res.status).toBe(200)
      expect(res.body).toBe('ok')
      expect(res.headers['access-control-allow-origin']).toBe('https://app.example.com')
      await new Promise((resolve) => setImmediate(resolve))
    } finally {
      spy.mockRestore()
    }
    expect(seen).toContain('RUST_CORS_CALLBACK_TWICE')
  })

  test('a preflight status Fastify refuses fails the request, also after an asynchronous origin function', async () => {
    const a = await app({ origin: async () => true, optionsSuccessStatus: 700 })
    const res = await request(a, 'OPTIONS', { origin: 'https://app.example.com', 'access-control-request-method': 'GET' })
    expect(res.status).toBe(500)
    expect(JSON.parse(res.body).code).toBe('FST_ERR_BAD_STATUS_CODE')
  })
})

describe('explain() for @fastify/cors options', () => {
  test('shows what the plugin sends and what a browser decides', async () => {
    const options = { origin: ['https://app.example.com'], credentials: true }
    const explained = cors.explain(options, { method: 'PUT', headers: { origin: 'https://app.example.com', 'content-type': 'application/json' }, credentials: true })
    expect(explained.preflight).toBe(true)
    expect(explained.allowed).toBe(false)
    expect(explained.reasons.map((r) => r.code)).toEqual(['METHOD_NOT_ALLOWED'])
    // the headers are the plugin's own answer to that preflight
    const a = await app(options)
    const res = await request(a, 'OPTIONS', { origin: 'https://app.example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' })
    expect(res.status).toBe(explained.status)
    for (const [name, value] of Object.entries(explained.headers)) expect([name, res.headers[name]]).toEqual([name, value])
  })

  test('reports configuration warnings, and answers later for an async origin function', async () => {
    const warned = cors.explain({ origin: /example\.com/ }, { method: 'GET', headers: { origin: 'https://evil.com' } })
    expect(warned.reasons.map((r) => r.code)).toEqual(['RUST_CORS_UNANCHORED_REGEX', 'ORIGIN_NOT_ALLOWED'])
    const later = await cors.explain({ origin: async (origin) => origin === 'https://a.com' }, { method: 'GET', headers: { origin: 'https://a.com' } })
    expect(later).toMatchObject({ allowed: true, headers: { 'access-control-allow-origin': 'https://a.com', vary: 'Origin' } })
  })
})

'use strict'

// The demo the README's commands run against (`npm start`):
//   http://127.0.0.1:3000  an Express API behind rust-cors (the app below)
//   http://127.0.0.1:3001  the same API without any CORS middleware (a classic failure)
//   http://127.0.0.1:3002  a redirect of every path to the API on :3000 (another origin)
// Try the preflight:
//   curl -X OPTIONS http://127.0.0.1:3000/data -H "Origin: http://localhost:5173" \
//     -H "Access-Control-Request-Method: POST" -H "Access-Control-Request-Headers: Content-Type" -v
// PORT sets the first port (the others follow it; PORT=0: three free ports);
// HOST the address.

const express = require('express')
const rustCors = require('..')

// The same options `rust-cors nginx examples/cors-options.js` exports.
const corsOptions = require('./cors-options')

function api (withCors) {
  const app = express()
  // Per route: anyone may read /public, whatever the app-wide policy says.
  app.get('/public', rustCors(), (req, res) => res.json({ public: true }))
  // Preflight for one route: DELETE needs one, and the app-wide policy
  // below does not cover /admin.
  const adminCors = rustCors({ origin: 'https://admin.example.com', methods: ['DELETE'] })
  app.options('/admin/items/:id', adminCors)
  app.delete('/admin/items/:id', adminCors, (req, res) => res.status(204).end())

  if (withCors) app.use(rustCors(corsOptions))
  app.use(express.json())

  const items = [{ id: 1, name: 'first' }]
  app.get('/data', (req, res) => {
    res.set('X-Total-Count', String(items.length)).json(items)
  })
  app.post('/data', (req, res) => {
    const item = { id: items.length + 1, name: String((req.body && req.body.name) || 'unnamed') }
    items.push(item)
    res.status(201).json(item)
  })
  return app
}

// Behind the same CORS policy, so a browser may follow the redirect.
function redirectTo (server) {
  return express().use(rustCors(corsOptions), (req, res) => {
    res.redirect(302, `http://${host}:${server.address().port}${req.originalUrl}`)
  })
}

const port = process.env.PORT === '0' ? 0 : Number(process.env.PORT) || 3000
const portAt = (offset) => port === 0 ? 0 : port + offset
const host = process.env.HOST || '127.0.0.1'

function listen (app, at, what) {
  const server = app.listen(at, host, (err) => {
    if (err) {
      console.error(`could not listen on ${host}:${at}: ${err.message} (set PORT to use other ports)`)
      process.exit(1)
    }
    console.log(`${what} on http://${host}:${server.address().port}/data`)
  })
  return server
}

const withCors = listen(api(true), port, 'rust-cors demo API')
const servers = [
  withCors,
  listen(api(false), portAt(1), 'the same API without CORS'),
  listen(redirectTo(withCors), portAt(2), 'a redirect to the API')
]

module.exports = servers

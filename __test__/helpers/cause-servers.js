'use strict'

// The servers the check tests diagnose, one per cause of a CORS failure,
// shared by check.test.js (the command) and check-browser.test.js (Chromium).

const http = require('http')
const express = require('express')
const cors = require('cors')
const rustCors = require('../..')

function listen (handler) {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler)
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

const base = (server) => `http://127.0.0.1:${server.address().port}`

// The cause servers, by name; `origin` is the one origin the servers that
// allow a list allow.
function causeApps (origin, { redirectTo = 'https://api.example.com/data' } = {}) {
  const ok = (req, res) => res.json({ ok: true })
  const apps = {}

  // Express without any CORS middleware: OPTIONS /data is a 404.
  const none = express()
  none.get('/', (req, res) => res.send('home'))
  apps.noCors = none

  // A hand-written middleware: '*' together with credentials.
  const star = express()
  star.use((req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*')
    res.setHeader('Access-Control-Allow-Credentials', 'true')
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET,POST,PUT,DELETE')
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type,Authorization')
      res.statusCode = 204
      return res.end()
    }
    next()
  })
  star.all('/data', ok)
  apps.wildcardCredentials = star

  // rust-cors allowing only GET.
  const getOnly = express()
  getOnly.use(rustCors({ origin: [origin], methods: ['GET'] }))
  getOnly.all('/data', ok)
  apps.getOnly = getOnly

  // rust-cors without the requested header.
  const otherHeader = express()
  otherHeader.use(rustCors({ origin: [origin], allowedHeaders: ['X-Other'] }))
  otherHeader.all('/data', ok)
  apps.otherHeader = otherHeader

  // Plain node:http sending Access-Control-Allow-Origin twice (two layers
  // both adding it).
  apps.doubleOrigin = (req, res) => {
    res.setHeader('Access-Control-Allow-Origin', [req.headers.origin || '*', req.headers.origin || '*'])
    res.setHeader('Vary', 'Origin')
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET,POST,PUT')
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type')
      res.statusCode = 204
      return res.end()
    }
    res.setHeader('Content-Type', 'application/json')
    res.end('{"ok":true}')
  }

  // Echoes the origin but forgets Vary: Origin (works, with a warning).
  apps.noVary = (req, res) => {
    if (req.headers.origin) res.setHeader('Access-Control-Allow-Origin', req.headers.origin)
    res.setHeader('Content-Type', 'application/json')
    res.end('{"ok":true}')
  }

  // Correct: rust-cors, and the same with cors.
  const good = express()
  good.use(rustCors({ origin: [origin, 'https://*.example.com'], credentials: true }))
  good.all('/data', ok)
  apps.rustCors = good

  const goodCors = express()
  goodCors.use(cors({ origin: [origin], credentials: true }))
  goodCors.all('/data', ok)
  apps.cors = goodCors

  // Redirects everything, the preflight included.
  apps.redirect = (req, res) => {
    res.statusCode = 301
    res.setHeader('Location', redirectTo)
    res.end()
  }

  return apps
}

// A server whose response headers come from the query string, for the edge
// cases: acao (repeatable; "echo" = the request's Origin), acac, acam, acah,
// vary; pstatus / status: the preflight's / actual response's status;
// redirect (a Location for the actual request) with rstatus (default 302);
// predirect (a Location for the preflight, status 301); loop (redirect to
// itself); big: the size in
// bytes of an X-Big response header; record: a function called with every
// request's method, URL and headers.
function configurableApp ({ record = null } = {}) {
  return (req, res) => {
    if (record) record({ method: req.method, url: req.url, headers: req.headers })
    const q = new URL(req.url, 'http://x').searchParams
    for (const v of q.getAll('acao')) res.appendHeader('Access-Control-Allow-Origin', v === 'echo' ? (req.headers.origin || '') : v)
    if (q.has('acac')) res.setHeader('Access-Control-Allow-Credentials', q.get('acac'))
    if (q.has('acam')) res.setHeader('Access-Control-Allow-Methods', q.get('acam'))
    if (q.has('acah')) res.setHeader('Access-Control-Allow-Headers', q.get('acah'))
    if (q.has('vary')) res.setHeader('Vary', q.get('vary'))
    if (q.has('big')) res.setHeader('X-Big', 'b'.repeat(Number(q.get('big'))))
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method']
    if (preflight && q.has('predirect')) {
      res.statusCode = 301
      res.setHeader('Location', q.get('predirect'))
      return res.end()
    }
    if (!preflight && q.has('loop')) {
      res.statusCode = 302
      res.setHeader('Location', req.url)
      return res.end()
    }
    if (!preflight && q.has('redirect')) {
      res.statusCode = Number(q.get('rstatus') || 302)
      res.setHeader('Location', q.get('redirect'))
      return res.end()
    }
    res.statusCode = Number(preflight ? (q.get('pstatus') || 204) : (q.get('status') || 200))
    res.end(preflight ? '' : 'ok')
  }
}

module.exports = { listen, base, causeApps, configurableApp }

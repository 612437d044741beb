'use strict'

// explain() against a real browser: headless Chromium makes cross-origin
// fetch() calls to rust-cors servers, and for every case the browser's
// verdict must equal the one explain() computes from the same options.

const http = require('http')
const express = require('express')
const rustCors = require('..')
const native = require('../lib/native')
const { describeBrowser, launch } = require('./helpers/chromium')

const CASES = [
  { name: 'allowed simple GET', options: { origin: 'PAGE' }, method: 'GET', headers: {}, credentials: false },
  { name: 'allowed preflighted PUT with a header', options: { origin: ['PAGE'], allowedHeaders: ['Content-Type', 'X-Token'] }, method: 'PUT', headers: { 'Content-Type': 'application/json', 'X-Token': '1' }, credentials: false },
  { name: 'allowed with credentials', options: { origin: 'PAGE', credentials: true }, method: 'GET', headers: {}, credentials: true },
  { name: 'blocked for origin', options: { origin: ['https://elsewhere.example'] }, method: 'GET', headers: {}, credentials: false },
  { name: 'blocked for method', options: { origin: 'PAGE', methods: ['GET', 'POST'] }, method: 'DELETE', headers: {}, credentials: false },
  { name: 'blocked for header', options: { origin: 'PAGE', allowedHeaders: ['Content-Type'] }, method: 'GET', headers: { 'X-Token': '1' }, credentials: false },
  { name: 'blocked: * with credentials', options: { credentials: true }, method: 'GET', headers: {}, credentials: true },
  { name: 'blocked: credentials not allowed', options: { origin: 'PAGE' }, method: 'GET', headers: {}, credentials: true },
  { name: 'allowed: reflected request headers', options: { origin: true }, method: 'PATCH', headers: { 'X-A': '1', 'X-B': '2' }, credentials: false },
  { name: 'blocked: origin callback refuses', options: { origin: (o, cb) => cb(null, false) }, method: 'PUT', headers: {}, credentials: false }
]

function listen (server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)))
}

function withPage (options, pageOrigin) {
  const o = { ...options }
  if (o.origin === 'PAGE') o.origin = pageOrigin
  if (Array.isArray(o.origin)) o.origin = o.origin.map((x) => (x === 'PAGE' ? pageOrigin : x))
  return o
}

// What explain() says a browser will decide: the preflight (if the browser
// sends one) and the actual request must both pass.
function explainVerdict (options, c, pageOrigin) {
  const headerPairs = Object.entries(c.headers)
  const plan = native.planRequest({ origin: pageOrigin, method: c.method, headers: headerPairs, credentials: c.credentials })
  const reasons = []
  if (plan.preflight) {
    const headers = { origin: pageOrigin, 'access-control-request-method': plan.method }
    if (plan.requestHeaders) headers['access-control-request-headers'] = plan.requestHeaders
    const pre = rustCors.explain(options, { method: 'OPTIONS', headers, credentials: c.credentials })
    reasons.push(...pre.reasons)
    if (!pre.allowed) return { allowed: false, reasons }
  }
  const lower = {}
  for (const [k, v] of headerPairs) lower[k.toLowerCase()] = v
  const act = rustCors.explain(options, { method: c.method, headers: { origin: pageOrigin, ...lower }, credentials: c.credentials })
  reasons.push(...act.reasons)
  return { allowed: act.allowed, reasons }
}

describeBrowser('explain() agrees with headless Chromium', () => {
  let browser, page, pageServer, apiServer, pageOrigin, apiBase

  beforeAll(async () => {
    pageServer = http.createServer((req, res) => { res.setHeader('Content-Type', 'text/html'); res.end('<!doctype html><title>page</title>') })
    pageOrigin = `http://127.0.0.1:${await listen(pageServer)}`
    const app = express()
    CASES.forEach((c, i) => {
      app.use(`/c${i}`, rustCors(withPage(c.options, pageOrigin)))
      app.all(`/c${i}`, (req, res) => res.send('ok'))
    })
    apiServer = http.createServer(app)
    apiBase = `http://127.0.0.1:${await listen(apiServer)}`
    browser = await launch()
    page = await browser.newPage()
    await page.goto(pageOrigin + '/')
  }, 60000)

  afterAll(async () => {
    if (browser) await browser.close()
    if (pageServer) pageServer.close()
    if (apiServer) apiServer.close()
  })

  test.each(CASES.map((c, i) => [c.name, i]))('%s', async (name, i) => {
    const c = CASES[i]
    const browserAllowed = await page.evaluate(async ({ url, method, headers, credentials }) => {
      try {
        await fetch(url, { method, headers, credentials: credentials ? 'include' : 'same-origin', cache: 'no-store' })
        return true
      } catch (e) {
        return false
      }
    }, { url: `${apiBase}/c${i}`, method: c.method, headers: c.headers, credentials: c.credentials })
    const explained = explainVerdict(withPage(c.options, pageOrigin), c, pageOrigin)
    expect({ name, allowed: explained.allowed }).toEqual({ name, allowed: browserAllowed })
    if (!explained.allowed) expect(explained.reasons.some((r) => r.severity === 'error')).toBe(true)
  }, 30000)
})

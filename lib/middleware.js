'use strict'

// The Express/connect request path: read req.method and req.headers once,
// decide the origin (lib/decide.js), write the precomputed strings with
// setHeader in cors's order, then end a preflight or call next().

const http = require('node:http')
const vary = require('vary')
const debug = require('./debug')
const { ANY, FIXED, REFLECT } = require('./compiled')
const { isPreflight, listRuleAllows, failsStrictPreflight } = require('./decide')
const { REFUSAL } = require('./refusal')

const ACAO = 'Access-Control-Allow-Origin'
const ACAC = 'Access-Control-Allow-Credentials'
const ACAM = 'Access-Control-Allow-Methods'
const ACAH = 'Access-Control-Allow-Headers'
const ACMA = 'Access-Control-Max-Age'
const ACEH = 'Access-Control-Expose-Headers'
const VARY_ORIGIN_AND_REQUEST_HEADERS = 'Origin, Access-Control-Request-Headers'

// Node's own res.getHeader(name) is `headers[name.toLowerCase()]?.[1]` on
// the response's header table. On a response that uses it (node:http's,
// Express's), Vary is read from that table directly: the same value, without
// validating and lower-casing the name on every request (about a third of a
// setHeader on the hit rows). Checked once at load: any other layout, or a
// response with its own getHeader, goes through getHeader.
const NODE_GET_HEADER = http.OutgoingMessage.prototype.getHeader
const OUT_HEADERS = (function findHeaderTable () {
  try {
    const probe = new http.OutgoingMessage()
    const symbol = Object.getOwnPropertySymbols(probe).find((s) => s.description === 'kOutHeaders')
    if (symbol === undefined || probe[symbol] !== null) return null
    probe.setHeader('Vary', 'Probe')
    const entry = probe[symbol].vary
    return Array.isArray(entry) && entry[1] === 'Probe' && probe.getHeader('Vary') === 'Probe' ? symbol : null
  } catch {
    return null
  }
})()

function varyOf (res) {
  if (OUT_HEADERS !== null && res.getHeader === NODE_GET_HEADER) {
    const table = res[OUT_HEADERS]
    if (table === null) return undefined
    if (table !== undefined) {
      const entry = table.vary
      return entry && entry[1]
    }
  }
  return res.getHeader('Vary')
}

// Append `field` to Vary with exactly the `vary` package's rules, which are
// only loaded into the path when a Vary header already exists. Returns true
// when Vary was empty and now is just `field`.
function addVary (res, field) {
  if (!varyOf(res)) {
    res.setHeader('Vary', field)
    return true
  }
  vary(res, field)
  return false
}

function answerBadPreflight (res) {
  res.statusCode = 400
  res.setHeader('Content-Length', '0')
  res.end()
}

// Write the CORS headers for one request and finish it, as cors does.
// quiet: a dry run (explain(), NODE_DEBUG's own preflight), never logged.
function respond (policy, origin, req, res, next, quiet) {
  const log = debug.enabled && quiet !== true
  const preflight = isPreflight(req.method)
  if (preflight) {
    if (policy.preflightError !== null) {
      const error = new TypeError(policy.preflightError)
      if (log) debug.failed(req, error, true)
      throw error
    }
    if (policy.strictPreflight && failsStrictPreflight(req.headers)) {
      if (log) debug.request(policy, origin, req, res, true, 400, respond)
      return answerBadPreflight(res)
    }
  }
  let varyIsOrigin = false
  let refusedBy = null
  switch (origin.kind) {
    case ANY:
      res.setHeader(ACAO, '*')
      break
    case FIXED:
      res.setHeader(ACAO, origin.value)
      varyIsOrigin = addVary(res, 'Origin')
      break
    case REFLECT: {
      const requestOrigin = req.headers.origin
      if (requestOrigin) res.setHeader(ACAO, requestOrigin)
      varyIsOrigin = addVary(res, 'Origin')
      break
    }
    default: {
      const requestOrigin = req.headers.origin
      if (listRuleAllows(origin, requestOrigin)) {
        res.setHeader(ACAO, requestOrigin)
      } else if (requestOrigin) {
        refusedBy = 'list'
        if (req[REFUSAL] !== undefined) req[REFUSAL].by = 'list' // explain()'s dry runs
      }
      varyIsOrigin = addVary(res, 'Origin')
    }
  }
  if (policy.credentials) res.setHeader(ACAC, 'true')
  if (preflight) {
    if (policy.methods) res.setHeader(ACAM, policy.methods)
    if (policy.reflectHeaders) {
      if (varyIsOrigin) res.setHeader('Vary', VARY_ORIGIN_AND_REQUEST_HEADERS)
      else addVary(res, 'Access-Control-Request-Headers')
      const requested = req.headers['access-control-request-headers']
      if (requested && requested.length) res.setHeader(ACAH, requested)
    } else if (policy.allowedHeaders) {
      res.setHeader(ACAH, policy.allowedHeaders)
    }
    if (policy.maxAge) res.setHeader(ACMA, policy.maxAge)
    if (policy.exposedHeaders) res.setHeader(ACEH, policy.exposedHeaders)
    // The peers' options, written after cors's own headers.
    if (policy.allowPrivateNetwork && req.headers['access-control-request-private-network'] === 'true') {
      res.setHeader('Access-Control-Allow-Private-Network', 'true')
    }
    if (policy.cacheControl !== undefined) res.setHeader('Cache-Control', policy.cacheControl)
    if (log) debug.request(policy, origin, req, res, true, policy.preflightContinue ? undefined : policy.status, respond, refusedBy)
    if (policy.preflightContinue) {
      next()
    } else {
      res.statusCode = policy.status
      res.setHeader('Content-Length', '0')
      res.end()
    }
  } else {
    if (policy.exposedHeaders) res.setHeader(ACEH, policy.exposedHeaders)
    if (log) debug.request(policy, origin, req, res, false, 200, respond, refusedBy)
    next()
  }
}

module.exports = { respond }

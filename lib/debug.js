'use strict'

// NODE_DEBUG=rust-cors: one line per problem a browser would find with a
// request, with the same codes explain() gives, because both judge through
// lib/verdict.js (the Fetch Standard's rules in Rust). Only runs when the
// variable names rust-cors; it is read once, at start-up.

const util = require('util')
const verdict = require('./verdict')
const { copyOriginValue } = require('./options')

const log = util.debuglog('rust-cors')
const enabled = log.enabled

function sanitize (value) {
  const s = String(value)
  const cut = s.length > 200 ? s.slice(0, 200) + '…' : s
  return JSON.stringify(cut).slice(1, -1)
}

// The response headers so far, from a real or mock response.
function responseHeaders (res) {
  if (typeof res.getHeaders === 'function') return verdict.headerPairs(res.getHeaders())
  const names = ['Access-Control-Allow-Origin', 'Access-Control-Allow-Credentials', 'Access-Control-Allow-Methods',
    'Access-Control-Allow-Headers', 'Access-Control-Max-Age', 'Access-Control-Expose-Headers', 'Vary']
  const headers = {}
  for (const name of names) headers[name] = res.getHeader(name)
  return verdict.headerPairs(headers)
}

function print (req, reasons) {
  for (const reason of reasons) {
    if (reason.severity !== 'error') continue
    log('%s from origin "%s": %s: %s', sanitize(req.method), sanitize(req.headers.origin), reason.code, sanitize(reason.message))
  }
}

// The other step of a request a server did not receive (the preflight of an
// actual request), answered by the same policy on a copy of its origin rule,
// with `respond` (lib/middleware.js, passed in by the caller) told to be quiet.
function dryRun (policy, origin, step, respond) {
  const res = verdict.recorder()
  if (origin === null) return { status: 200, headers: [], passedOn: true }
  const rule = origin.value !== undefined && typeof origin.value === 'object'
    ? Object.assign({}, origin, { value: copyOriginValue(origin.value) })
    : origin
  let passedOn = false
  respond(policy, rule, step, res, () => { passedOn = true }, true)
  return { status: res.ended ? verdict.wireStatus(res.statusCode) : 200, headers: verdict.headerPairs(res.getHeaders()), passedOn }
}

// After the middleware wrote its headers (origin: the rule it used, or null
// when an origin callback refused). status: what the response will carry.
// respond: the middleware's respond(), for the dry run of a preflight.
function request (policy, origin, req, res, preflight, status, respond) {
  const requestOrigin = req.headers.origin
  if (requestOrigin === undefined) return
  const credentials = req.headers.cookie !== undefined
  const passedOn = preflight && status === undefined
  const response = { status: passedOn ? 200 : verdict.wireStatus(status), headers: responseHeaders(res), passedOn }
  if (preflight) {
    print(req, verdict.judgePreflight(String(requestOrigin), req.headers, credentials, response))
    return
  }
  const page = { origin: String(requestOrigin), method: String(req.method), headers: verdict.authoredHeaders(req.headers), credentials }
  const result = verdict.judgeFetch(page, (step) => step.stage === 'preflight' ? dryRun(policy, origin, step, respond) : response)
  print(req, result.reasons)
}

// The middleware could not answer: a callback failed (next(err)) or
// threw, or the options break cors on this request. explain() reports the
// same codes.
const LOGGED = Symbol('rust-cors logged')

function failed (req, error, thrown) {
  if (error !== null && typeof error === 'object') {
    if (error[LOGGED]) return
    try { error[LOGGED] = true } catch {}
  }
  const message = error && error.message ? error.message : String(error)
  print(req, [{ code: thrown ? 'MIDDLEWARE_ERROR' : 'CALLBACK_ERROR', severity: 'error', message }])
}

// Dry runs (explain(), the preflight above) are quiet by an argument of the
// middleware they run, never by changing `enabled`.
module.exports = { enabled, request, failed }

'use strict'

// NODE_DEBUG=rust-cors: one line per problem a browser would find with a
// request, with the same codes explain() gives, because both judge through
// lib/verdict.js (the Fetch Standard's rules in Rust). Only runs when the
// variable names rust-cors; it is read once, at start-up.

const util = require('util')
const verdict = require('./verdict')
const { copyOriginValue } = require('./options')
const { REFUSAL, refusalSlot } = require('./refusal')

const log = util.debuglog('rust-cors')
const enabled = log.enabled

function sanitize (value, max = 200) {
  const s = String(value)
  const cut = s.length > max ? s.slice(0, max) + '…' : s
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

// One line per error: method, path, origin, code, message and fix.
function print (req, reasons) {
  const url = req.originalUrl !== undefined ? req.originalUrl : req.url
  const where = url === undefined ? '' : ' ' + sanitize(url)
  for (const reason of reasons) {
    if (reason.severity !== 'error') continue
    const fix = reason.fix ? ' Fix: ' + sanitize(reason.fix, 1000) : ''
    log('%s%s from origin "%s": %s: %s%s', sanitize(req.method), where, sanitize(req.headers.origin), reason.code, sanitize(reason.message, 1000), fix)
  }
}

// The other step of a request a server did not receive (the preflight of an
// actual request), answered by the same policy on a copy of its origin rule,
// with `respond` (lib/middleware.js, passed in by the caller) told to be quiet.
// refusal: the slot the middleware records a refusal of the origin in.
function dryRun (policy, origin, step, respond, refusal) {
  const res = verdict.recorder()
  if (origin === null) return { status: 200, headers: [], passedOn: true }
  const rule = origin.value !== undefined && typeof origin.value === 'object'
    ? Object.assign({}, origin, { value: copyOriginValue(origin.value) })
    : origin
  let passedOn = false
  respond(policy, rule, Object.assign({ [REFUSAL]: refusal }, step), res, () => { passedOn = true }, true)
  return { status: res.ended ? verdict.wireStatus(res.statusCode) : 200, headers: verdict.headerPairs(res.getHeaders()), passedOn }
}

// After the middleware wrote its headers (origin: the rule it used, or null
// when an origin callback refused or the policy is disabled). status: what
// the response will carry, undefined for a preflight passed on to the app.
// respond: the middleware's respond(), for the dry run of a preflight.
// refusedBy: 'list' or 'callback' when rust-cors refused the origin.
function request (policy, origin, req, res, preflight, status, respond, refusedBy) {
  const requestOrigin = req.headers.origin
  if (requestOrigin === undefined) return
  const nearMisses = origin !== null && origin.nearMisses !== undefined ? origin.nearMisses : NONE
  if (refusedBy) {
    // The refusal is the diagnosis, whatever the app answers next.
    print(req, verdict.nameRefusal([], { by: refusedBy, origin: String(requestOrigin), nearMisses }))
    return
  }
  const credentials = req.headers.cookie !== undefined
  const passedOn = preflight && status === undefined
  if (preflight) {
    if (passedOn && typeof res.once === 'function') {
      // The app answers it: judge the response it really sends.
      res.once('finish', () => {
        const sent = { status: verdict.wireStatus(res.statusCode), headers: responseHeaders(res), passedOn: false }
        print(req, verdict.judgePreflight(String(requestOrigin), req.headers, credentials, sent))
      })
      return
    }
    const response = { status: passedOn ? 200 : verdict.wireStatus(status), headers: responseHeaders(res), passedOn }
    print(req, verdict.judgePreflight(String(requestOrigin), req.headers, credentials, response))
    return
  }
  const response = { status: verdict.wireStatus(status), headers: responseHeaders(res), passedOn: false }
  const page = { origin: String(requestOrigin), method: String(req.method), headers: verdict.authoredHeaders(req.headers), credentials }
  const refusal = refusalSlot()
  const result = verdict.judgeFetch(page, (step) => step.stage === 'preflight' ? dryRun(policy, origin, step, respond, refusal) : response)
  print(req, verdict.nameRefusal(result.reasons, refusal.by === null ? null : { by: refusal.by, origin: String(requestOrigin), nearMisses }))
}

const NONE = Object.freeze([])

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

'use strict'

// The HTTP transport of `rust-cors check`: one request, its response head,
// and network errors phrased for a person. No CORS rules here (they are in
// src/fetch/, reached through lib/native.js).

const http = require('http')
const https = require('https')

// Browsers accept response heads up to 256 KiB (Chromium's limit; Node's
// default is 16 KiB).
const MAX_HEADER_SIZE = 256 * 1024

// A failure to get a usable answer from the server (exit 2).
class CheckError extends Error {
  constructor (message, code) {
    super(message)
    this.code = code
  }
}

function describeNetworkError (err, url, what, timeoutMs) {
  const host = url.host
  const code = err && err.code
  const tls = typeof code === 'string' && (
    code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code) ||
    code === 'EPROTO'
  )
  let msg
  if (code === 'RUST_CORS_TIMEOUT') {
    msg = `no response from ${host} within ${timeoutMs} ms (raise it with --timeout <ms>)`
  } else if (code === 'ECONNREFUSED') {
    msg = `connection refused by ${host}: is the server running and listening on that port?`
  } else if (code === 'ENOTFOUND') {
    msg = `DNS lookup failed: ${url.hostname} does not resolve (check the host name)`
  } else if (code === 'EAI_AGAIN') {
    msg = `DNS lookup failed for ${url.hostname} (temporary failure: is the network or resolver reachable?)`
  } else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    msg = `${host} is unreachable (${code})`
  } else if (tls) {
    msg = `TLS error with ${host}: ${err.message} (${code}); a browser would fail this connection too`
  } else if (code === 'ECONNRESET' || code === 'EPIPE') {
    msg = `${host} closed the connection without an answer (${err.message})` +
      (url.protocol === 'http:' ? '; is it an https:// server?' : '')
  } else if (code === 'HPE_HEADER_OVERFLOW') {
    msg = `${host} answered with a response head over ${MAX_HEADER_SIZE / 1024} KiB; a browser rejects it too (ERR_RESPONSE_HEADERS_TOO_BIG)`
  } else if (typeof code === 'string' && code.startsWith('HPE_')) {
    msg = `${host} answered with something that is not HTTP/1.1 (${code}: ${err.message})`
  } else {
    msg = `${err && err.message ? err.message : String(err)}${code ? ` (${code})` : ''}`
  }
  return new CheckError(`the ${what} failed: ${msg}`, code || 'NETWORK_ERROR')
}

// One request; resolves with the status and raw header pairs as soon as the
// head has arrived (the body is drained, for at most the remaining time).
// `headers` is a list of [name, value] pairs, sent in that order.
function send (url, method, headers, timeoutMs, what, trace) {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http
    let settled = false
    let req
    try {
      req = mod.request(url, { method, headers: headers.flat(), agent: false, maxHeaderSize: MAX_HEADER_SIZE })
    } catch (err) {
      reject(describeNetworkError(err, url, what, timeoutMs))
      return
    }
    const timer = setTimeout(() => {
      const e = new Error('timeout')
      e.code = 'RUST_CORS_TIMEOUT'
      req.destroy(e)
    }, timeoutMs)
    req.on('error', (err) => {
      clearTimeout(timer)
      if (settled) return
      settled = true
      reject(describeNetworkError(err, url, what, timeoutMs))
    })
    req.on('response', (res) => {
      const headersOut = []
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headersOut.push([res.rawHeaders[i], res.rawHeaders[i + 1]])
      const answer = {
        status: res.statusCode,
        statusMessage: res.statusMessage || '',
        httpVersion: res.httpVersion,
        headers: headersOut
      }
      if (trace) traceExchange(trace, req, method, url, headers, answer)
      settled = true
      res.on('error', () => {})
      res.on('end', () => clearTimeout(timer))
      res.on('close', () => clearTimeout(timer))
      res.resume()
      resolve(answer)
    })
    req.end()
  })
}

function traceExchange (trace, req, method, url, headers, answer) {
  // req._header is the exact request head node wrote (with Host, Connection...).
  const head = typeof req._header === 'string' && req._header
    ? req._header.replace(/\r\n\r\n$/, '').split('\r\n')
    : [`${method} ${url.pathname}${url.search} HTTP/1.1`, ...headers.map(([n, v]) => `${n}: ${v}`)]
  for (const line of head) trace(`> ${line}`)
  trace('>')
  trace(`< HTTP/${answer.httpVersion} ${answer.status} ${answer.statusMessage}`.trimEnd())
  for (const [n, v] of answer.headers) trace(`< ${n}: ${v}`)
  trace('<')
}

module.exports = { send, CheckError }

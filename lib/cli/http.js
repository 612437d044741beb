'use strict'

// The HTTP transport of `rust-cors check`: one request, its response head,
// and network errors phrased for a person. No CORS rules here, and no rule
// for reading a head (they are in src/fetch/, reached through lib/native.js).

const net = require('net')
const tls = require('tls')
const native = require('../native')

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

function headTooBig () {
  const e = new Error('response head too big')
  e.code = 'HPE_HEADER_OVERFLOW'
  return e
}

// One request over its own connection, written as a browser writes it;
// resolves with the status and raw header pairs as soon as the head has
// arrived (then the connection is closed: the body is not needed). The head
// is read as Chromium reads it (src/fetch/head.rs), not by Node's stricter
// parser: obs-fold, bare LF, a lower-case `http/1.1`, a line without a
// colon and the like are accepted where Chromium accepts them.
// `headers` is a list of [name, value] pairs, sent in that order.
function send (url, method, headers, timeoutMs, what, trace) {
  return new Promise((resolve, reject) => {
    const tlsOn = url.protocol === 'https:'
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
    const port = Number(url.port) || (tlsOn ? 443 : 80)
    const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`, ...headers.map(([n, v]) => `${n}: ${v}`), 'Connection: close']
    // A browser sends an empty body's length on the methods that have one.
    if (!['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(method.toUpperCase())) lines.push('Content-Length: 0')
    const request = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1')
    let settled = false
    let received = Buffer.alloc(0)
    let socket
    const fail = (err) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (socket) socket.destroy()
      reject(err instanceof CheckError ? err : describeNetworkError(err, url, what, timeoutMs))
    }
    const timer = setTimeout(() => {
      const e = new Error('timeout')
      e.code = 'RUST_CORS_TIMEOUT'
      fail(e)
    }, timeoutMs)
    // The head at the start of `received` (all of it when the server closed), or null.
    const takeHead = (closed) => {
      for (;;) {
        const length = native.responseHeadLength(received)
        if (length === null || length === undefined) {
          if (!closed || received.length === 0) return null
          return parse(received)
        }
        // Too big whether it came in one read or many.
        if (length > MAX_HEADER_SIZE) throw headTooBig()
        const head = parse(received.subarray(0, length))
        received = received.subarray(length)
        // 1xx answers (but 101) are interim: the response follows.
        if (head.status >= 200 || head.status === 101) return head
      }
    }
    const parse = (bytes) => {
      try {
        const head = native.parseResponseHead(bytes)
        return { status: head.status, statusMessage: head.statusText, httpVersion: head.httpVersion, headers: head.headers }
      } catch (e) {
        const message = String(e && e.message).replace(/^INVALID_HTTP_RESPONSE: /, '')
        throw new CheckError(`the ${what} failed: ${url.host} answered with something that is not HTTP/1.x: ${message}`, 'INVALID_HTTP_RESPONSE')
      }
    }
    const done = (closed) => {
      if (settled) return
      let answer
      try {
        answer = takeHead(closed)
      } catch (e) {
        return fail(e)
      }
      if (answer === null) {
        if (received.length > MAX_HEADER_SIZE) return fail(headTooBig())
        if (closed) {
          const e = new Error('socket hang up')
          e.code = 'ECONNRESET'
          return fail(e)
        }
        return
      }
      settled = true
      clearTimeout(timer)
      if (trace) traceExchange(trace, lines, answer)
      socket.destroy()
      resolve(answer)
    }
    try {
      socket = tlsOn
        ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host })
        : net.connect({ host, port })
    } catch (err) {
      return fail(err)
    }
    socket.on('error', fail)
    socket.once(tlsOn ? 'secureConnect' : 'connect', () => socket.write(request))
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk])
      done(false)
    })
    socket.on('end', () => done(true))
    socket.on('close', () => done(true))
  })
}

function traceExchange (trace, lines, answer) {
  for (const line of lines) trace(`> ${line}`)
  trace('>')
  trace(`< HTTP/${answer.httpVersion} ${answer.status} ${answer.statusMessage}`.trimEnd())
  for (const [n, v] of answer.headers) trace(`< ${n}: ${v}`)
  trace('<')
}

module.exports = { send, CheckError }

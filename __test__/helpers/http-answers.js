'use strict'

// Runs middlewares on a real node:http server and describes what each
// answered, so that rust-cors can be compared with cors@2.8.6 request by
// request: status and raw headers (names, casing, order, values) and body on
// the wire; on the server side how the middleware finished (next() and its
// arguments, res.end(), a synchronous throw, or a hang) and the JS value of
// res.statusCode at that moment.

const http = require('node:http')
const util = require('node:util')

const HANG_MS = 2000

function describeValue (v) {
  if (v === undefined) return 'undefined'
  if (v === null) return 'null'
  if (v instanceof Error) return `${v.constructor.name}(${v.message})`
  if (typeof v === 'string') return 'string:' + JSON.stringify(v)
  return typeof v + ':' + util.inspect(v)
}

// One server for a whole test file; send() runs one request through the
// given middleware and resolves with its description. Requests are sent one
// at a time (each awaits the previous), so the server needs one slot only.
async function startHttpAnswers () {
  let current = null
  const server = http.createServer((req, res) => {
    const slot = current
    res.sendDate = false
    const originalEnd = res.end
    let timer = null
    const finish = (how) => {
      if (slot.how !== null) return false
      if (timer) clearTimeout(timer)
      slot.how = how
      slot.statusCode = describeValue(res.statusCode)
      res.end = originalEnd
      return true
    }
    res.end = function (...args) {
      finish('end')
      return originalEnd.apply(this, args)
    }
    const next = (...args) => {
      if (!finish('next(' + args.map(describeValue).join(', ') + ')')) return
      if (res.writableEnded) return
      if (args[0]) res.statusCode = 500
      res.end('passed on')
    }
    try {
      slot.mw(req, res, next)
    } catch (e) {
      if (finish('throw:' + describeValue(e)) && !res.writableEnded) {
        res.statusCode = 500
        res.end('threw')
      }
    }
    if (slot.how === null) {
      timer = setTimeout(() => {
        if (finish('hang') && !res.writableEnded) {
          res.statusCode = 599
          res.end('hang')
        }
      }, HANG_MS)
    }
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = server.address().port

  // request: { method, headers } (headers as sent on the wire)
  function send (mw, request) {
    current = { mw, how: null, statusCode: null }
    const slot = current
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1', port, path: '/', method: request.method || 'GET', headers: request.headers || {}, agent: false
      }, (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => resolve({
          status: res.statusCode,
          rawHeaders: res.rawHeaders.slice(),
          body: Buffer.concat(chunks).toString('latin1'),
          middleware: slot.how,
          statusCode: slot.statusCode
        }))
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end()
    })
  }

  function close () {
    server.closeAllConnections()
    return new Promise((resolve) => server.close(resolve))
  }

  return { send, close }
}

module.exports = { startHttpAnswers, describeValue }

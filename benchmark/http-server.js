'use strict'

// Child process for benchmark/http.js: Express 5 hello world with no CORS,
// cors@2.8.6 or rust-cors. Reports its port and, on request, its CPU time and
// request count over IPC.

const path = require('node:path')
const express = require('express')

const variant = process.argv[2] || 'none'
const config = process.env.BENCH_HTTP_CONFIG || 'default'

function corsOptions () {
  if (config === 'default') return undefined
  if (config === 'list') {
    return { origin: Array.from({ length: 100 }, (_, i) => `https://app${i}.example.com`).concat('https://app.example.com'), credentials: true }
  }
  if (config === 'regex') {
    return { origin: [/^https:\/\/([a-z0-9-]+\.)?example\.com$/], credentials: true }
  }
  throw new Error(`unknown BENCH_HTTP_CONFIG ${config} (default | list | regex)`)
}

const app = express()
if (variant === 'cors') app.use(require('cors')(corsOptions()))
else if (variant === 'rust-cors') {
  const m = require(path.resolve(__dirname, '..'))
  app.use((typeof m === 'function' ? m : m.default)(corsOptions()))
} else if (variant !== 'none') throw new Error(`unknown variant ${variant}`)

let requests = 0
app.get('/', (req, res) => {
  requests++
  res.send('hello world')
})

const server = app.listen(0, '127.0.0.1', () => {
  process.send({ type: 'listening', port: server.address().port })
})
server.keepAliveTimeout = 60000

process.on('message', (msg) => {
  if (msg && msg.type === 'stats') {
    const cpu = process.cpuUsage()
    process.send({ type: 'stats', id: msg.id, cpuUs: cpu.user + cpu.system, requests })
  } else if (msg && msg.type === 'exit') {
    server.close()
    process.exit(0)
  }
})

'use strict'

// Debian's nginx for tests, run in the foreground from a temporary prefix on
// 127.0.0.1 (never the system service). When nginx is missing the tests are
// skipped with a printed reason; under RUST_CORS_REQUIRE_ALL=1 (.ci/run, which
// installs it) they fail instead.

const fs = require('fs')
const net = require('net')
const os = require('os')
const path = require('path')
const { spawn } = require('child_process')
const { describeUnless } = require('./require-all')

// NGINX_PATH, when set, is the only candidate.
const CANDIDATES = process.env.NGINX_PATH ? [process.env.NGINX_PATH] : ['/usr/sbin/nginx', '/usr/bin/nginx']
const START_TIMEOUT_MS = 10000

function nginxPath () {
  return CANDIDATES.find((p) => fs.existsSync(p)) || null
}

// Why the nginx tests cannot run here, or null.
function missingReason () {
  return nginxPath() ? null : `no nginx found (looked for ${CANDIDATES.join(', ')}); install it with \`apt-get install -y nginx\``
}

// describe(), or describe.skip() after printing why (a failure under RUST_CORS_REQUIRE_ALL=1).
function describeNginx (name, fn) {
  return describeUnless(nginxPath() ? null : `${missingReason()}, to run the nginx tests`, name, fn)
}

function freePort () {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function canConnect (port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => resolve(false))
  })
}

// The whole nginx.conf: `http` is inserted in the http {} block, `server` in
// the one server {} block that listens on 127.0.0.1:port. Without `server`,
// `http` holds its own server blocks, and PORT in it is the port.
function configText (prefixDir, port, { http, server }) {
  const servers = server === undefined
    ? [http.replaceAll('PORT', String(port))]
    : [http, '  server {', `    listen 127.0.0.1:${port};`, server, '  }']
  const tmp = (name) => path.join(prefixDir, 'tmp', name)
  return [
    // nginx started as root would switch its workers to nobody, who cannot read the temp prefix.
    process.getuid && process.getuid() === 0 ? 'user root;' : '',
    'worker_processes 1;',
    `pid ${path.join(prefixDir, 'nginx.pid')};`,
    'events { worker_connections 512; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${tmp('body')};`,
    `  proxy_temp_path ${tmp('proxy')};`,
    `  fastcgi_temp_path ${tmp('fastcgi')};`,
    `  uwsgi_temp_path ${tmp('uwsgi')};`,
    `  scgi_temp_path ${tmp('scgi')};`,
    ...servers,
    '}',
    ''
  ].join('\n')
}

// Starts nginx with the given configuration parts; resolves to
// { port, origin, stop() } once it accepts connections. A configuration
// nginx refuses rejects with nginx's own message.
async function startNginx (parts) {
  const binary = nginxPath()
  if (!binary) throw new Error('nginx is not installed')
  const prefixDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-cors-nginx-'))
  fs.mkdirSync(path.join(prefixDir, 'tmp'))
  fs.mkdirSync(path.join(prefixDir, 'logs'))
  const errorLog = path.join(prefixDir, 'logs', 'error.log')
  const confFile = path.join(prefixDir, 'nginx.conf')
  const port = await freePort()
  fs.writeFileSync(confFile, configText(prefixDir, port, parts))
  const child = spawn(binary, ['-p', prefixDir, '-c', confFile, '-e', errorLog, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (d) => { stderr += d })
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  let done = false
  exited.then(() => { done = true })
  const readLog = () => (fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : '')
  const deadline = Date.now() + START_TIMEOUT_MS
  while (!(await canConnect(port))) {
    if (done || Date.now() > deadline) {
      if (!done) child.kill('SIGKILL')
      await exited
      fs.rmSync(prefixDir, { recursive: true, force: true })
      throw new Error(`nginx did not start:\n${stderr}${readLog()}\n--- nginx.conf ---\n${configText(prefixDir, port, parts)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    base: `http://127.0.0.1:${port}`,
    errorLog: readLog,
    async stop () {
      if (!done) child.kill('SIGTERM')
      await exited
      fs.rmSync(prefixDir, { recursive: true, force: true })
    }
  }
}

module.exports = { nginxPath, missingReason, describeNginx, startNginx }

'use strict'

// Debian's nginx for tests, never the system service: run in the foreground
// (`daemon off;`) from a temporary prefix (pid, logs and temp paths inside
// it), listening on 127.0.0.1 on a free port. Without nginx the tests are
// skipped with a printed reason (CI installs it, so CI always runs them).

const fs = require('fs')
const net = require('net')
const os = require('os')
const path = require('path')
const { spawn } = require('child_process')

const CANDIDATES = [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'].filter(Boolean)

function nginxPath () {
  return CANDIDATES.find((p) => fs.existsSync(p)) || null
}

function missingReason () {
  return nginxPath() ? null : `no nginx found (looked for ${CANDIDATES.join(', ')}); install it with \`apt-get install -y nginx\``
}

function freePort () {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function canConnect (port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.on('connect', () => { socket.destroy(); resolve(true) })
    socket.on('error', () => resolve(false))
  })
}

// Starts nginx with `http` (text for the http {} block; PORT in it is
// replaced by the port nginx listens on). Resolves with { port, base,
// stop() }; rejects with nginx's own error output when it does not start.
async function startNginx (http) {
  const binary = nginxPath()
  if (!binary) throw new Error(missingReason())
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-cors-nginx-'))
  const port = await freePort()
  const config = [
    // As root, nginx would switch its workers to an unprivileged user that
    // cannot read the temporary prefix.
    typeof process.getuid === 'function' && process.getuid() === 0 ? 'user root;' : '',
    'worker_processes 1;',
    `pid ${prefix}/nginx.pid;`,
    `error_log ${prefix}/error.log warn;`,
    'events { worker_connections 256; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `  ${name}_temp_path ${prefix}/${name};`),
    http.replaceAll('PORT', String(port)),
    '}',
    ''
  ].join('\n')
  const file = path.join(prefix, 'nginx.conf')
  fs.writeFileSync(file, config)
  const child = spawn(binary, ['-p', prefix, '-c', file, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk) => { stderr += chunk })
  let exited = null
  child.on('exit', (code, signal) => { exited = { code, signal } })
  const log = () => {
    try { return fs.readFileSync(path.join(prefix, 'error.log'), 'utf8') } catch { return '' }
  }
  const deadline = Date.now() + 10000
  while (!(await canConnect(port))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`nginx did not start (${exited ? `exit ${exited.code}` : 'timeout'}): ${stderr}${log()}\n--- config ---\n${config}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const stop = () => new Promise((resolve) => {
    const done = () => {
      fs.rmSync(prefix, { recursive: true, force: true })
      resolve()
    }
    if (exited) return done()
    child.once('exit', done)
    child.kill('SIGQUIT')
    setTimeout(() => { if (!exited) child.kill('SIGKILL') }, 5000).unref()
  })
  return { port, base: `http://127.0.0.1:${port}`, config, log, stop }
}

module.exports = { nginxPath, missingReason, startNginx, freePort }

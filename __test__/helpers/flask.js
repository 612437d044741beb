'use strict'

// Real Flask + Flask-CORS from PyPI, in a Python virtual environment the
// test setup creates once with pip and reuses (os.tmpdir()/
// rust-cors-flask-venv, or RUST_CORS_FLASK_VENV). Without python3, venv or
// network access to PyPI the tests are skipped with a printed reason.

const fs = require('fs')
const os = require('os')
const path = require('path')
const { spawn, spawnSync } = require('child_process')

const VENV = process.env.RUST_CORS_FLASK_VENV || path.join(os.tmpdir(), 'rust-cors-flask-venv')
const READY = path.join(VENV, '.rust-cors-ready')
const PACKAGES = ['flask', 'flask-cors']

function venvPython () {
  return path.join(VENV, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python')
}

// { python } when the venv is ready (created now if needed), else { reason }.
function ensureFlask () {
  if (fs.existsSync(READY) && fs.existsSync(venvPython())) return { python: venvPython() }
  const python3 = ['python3', 'python'].find((cmd) => spawnSync(cmd, ['--version'], { encoding: 'utf8' }).status === 0)
  if (!python3) return { reason: 'no python3 found; install Python 3 with the venv module' }
  if (!fs.existsSync(venvPython())) {
    const venv = spawnSync(python3, ['-m', 'venv', VENV], { encoding: 'utf8', timeout: 120000 })
    if (venv.status !== 0) return { reason: `\`${python3} -m venv ${VENV}\` failed: ${(venv.stderr || venv.error || '').toString().trim().split('\n').pop()}` }
  }
  const pip = spawnSync(venvPython(), ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', ...PACKAGES], { encoding: 'utf8', timeout: 600000 })
  if (pip.status !== 0) return { reason: `pip install ${PACKAGES.join(' ')} into ${VENV} failed: ${(pip.stderr || pip.error || '').toString().trim().split('\n').slice(-2).join(' ')}` }
  fs.writeFileSync(READY, `${PACKAGES.join(' ')}\n`)
  return { python: venvPython() }
}

// The versions installed, for the test output.
function versions (python) {
  const r = spawnSync(python, ['-c', 'import importlib.metadata as m; print(m.version("flask"), m.version("flask-cors"))'], { encoding: 'utf8' })
  const [flask, flaskCors] = (r.stdout || '').trim().split(' ')
  return { flask, flaskCors }
}

// Runs `source` (a Python module that builds `app`) on 127.0.0.1 with a
// free port, with `args` in sys.argv[1:]. Resolves with { port, base, stop() }.
async function startFlask (python, source, args = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-cors-flask-'))
  const file = path.join(dir, 'app.py')
  fs.writeFileSync(file, `${source}

if __name__ == "__main__":
    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print("PORT", server.server_port, flush=True)
    server.serve_forever()
`)
  const child = spawn(python, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir })
  let stderr = ''
  child.stderr.on('data', (chunk) => { stderr += chunk })
  const port = await new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`Flask did not start within 30 s: ${stderr}`)), 30000)
    child.stdout.on('data', (chunk) => {
      out += chunk
      const m = /PORT (\d+)/.exec(out)
      if (m) { clearTimeout(timer); resolve(Number(m[1])) }
    })
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`Flask exited (${code}): ${stderr}`)) })
  })
  const stop = () => new Promise((resolve) => {
    child.once('exit', () => {
      fs.rmSync(dir, { recursive: true, force: true })
      resolve()
    })
    child.kill('SIGTERM')
  })
  return { port, base: `http://127.0.0.1:${port}`, stderr: () => stderr, stop }
}

module.exports = { ensureFlask, startFlask, versions, VENV }

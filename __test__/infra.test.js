'use strict'

// The test infrastructure itself: the loader's order in a checkout and in an installed package,
// the refusal of a stale addon, RUST_CORS_REQUIRE_ALL, and the lockfile's
// engines against the Node versions contributors and users are told they can use.

const { spawnSync } = require('child_process')
const fs = require('fs')
const os = require('os')
const path = require('path')
const semver = require('semver')

const root = path.join(__dirname, '..')
const pkg = require('../package.json')

let tmp
beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-cors-infra-')) })
afterEach(() => { fs.rmSync(tmp, { recursive: true, force: true }) })

// A copy of lib/native.js next to a package.json (with or without optionalDependencies), a
// stand-in platform package in node_modules, and the real local build (a symlink).
function loaderFixture (optionalDependencies) {
  const built = fs.readdirSync(root).find((name) => /^rust-cors\..+\.node$/.test(name))
  const platform = built.slice('rust-cors.'.length, -'.node'.length)
  fs.mkdirSync(path.join(tmp, 'lib'))
  fs.copyFileSync(path.join(root, 'lib', 'native.js'), path.join(tmp, 'lib', 'native.js'))
  fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ name: 'rust-cors', version: '0.0.0', optionalDependencies }))
  fs.symlinkSync(path.join(root, built), path.join(tmp, built))
  const platformDir = path.join(tmp, 'node_modules', `rust-cors-${platform}`)
  fs.mkdirSync(platformDir, { recursive: true })
  fs.writeFileSync(path.join(platformDir, 'package.json'), JSON.stringify({ name: `rust-cors-${platform}`, main: 'index.js' }))
  // A stand-in binding: lib/native.js installs the two compilers a binding makes.
  fs.writeFileSync(path.join(platformDir, 'index.js'), "module.exports = { standIn: 'the installed platform package', policyCompilerFunction () {}, originStringsFunction () {} }")
  const r = spawnSync(process.execPath, ['-e', "const n = require('./lib/native.js'); console.log(n.standIn || 'the local build')"], { cwd: tmp, encoding: 'utf8' })
  expect(r.stderr).toBe('')
  return { platform, loaded: r.stdout.trim() }
}

test('a checkout loads its own build before an installed platform package', () => {
  expect(loaderFixture(undefined).loaded).toBe('the local build')
})

test('an installed package loads its platform package first (users\' order)', () => {
  const built = fs.readdirSync(root).find((name) => /^rust-cors\..+\.node$/.test(name))
  const platform = built.slice('rust-cors.'.length, -'.node'.length)
  expect(loaderFixture({ [`rust-cors-${platform}`]: '0.0.0' }).loaded).toBe('the installed platform package')
})

test('jest refuses an addon older than the sources it is built from', () => {
  const { staleness } = require('./setup/addon-fresh')
  expect(staleness()).toBeNull() // this run's addon is fresh (globalSetup checked it too)
  const built = fs.readdirSync(root).find((name) => /^rust-cors\..+\.node$/.test(name))
  const file = path.join(root, built)
  const { atime, mtime } = fs.statSync(file)
  try {
    fs.utimesSync(file, atime, new Date(Date.parse('2000-01-01T00:00:00Z')))
    expect(staleness()).toMatch(new RegExp(`^${built.replace(/\./g, '\\.')} \\(built 2000-01-01T00:00:00\\.000Z\\) is older than .*: rebuild it with \`npm run build:debug\``))
  } finally {
    fs.utimesSync(file, atime, mtime)
  }
})

test('RUST_CORS_REQUIRE_ALL=1 turns a skipped suite into a failure; without it the suite is skipped with the reason', () => {
  fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ name: 'skip-fixture', jest: { testEnvironment: 'node' } }))
  fs.writeFileSync(path.join(tmp, 'skip.test.js'), [
    `const { describeUnless } = require(${JSON.stringify(path.join(__dirname, 'helpers', 'require-all'))})`,
    "describeUnless('no frobnicator on this machine', 'frobnicator suite', () => { test('runs', () => {}) })",
    ''
  ].join('\n'))
  const jest = (env) => spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--rootDir', tmp, '--ci'],
    { cwd: tmp, encoding: 'utf8', env: { ...process.env, ...env } })
  const strict = jest({ RUST_CORS_REQUIRE_ALL: '1' })
  expect(strict.status).toBe(1)
  expect(strict.stderr).toContain('"frobnicator suite" cannot run: no frobnicator on this machine')
  const lenient = jest({ RUST_CORS_REQUIRE_ALL: '' })
  expect(lenient.status).toBe(0)
  expect(lenient.stderr).toContain('SKIPPED "frobnicator suite": no frobnicator on this machine')
  expect(lenient.stderr).toMatch(/Tests:\s+1 skipped, 1 total/)
}, 120000)

test('the CLI without a built addon says why, for each command', () => {
  // a copy of the package without any .node: a checkout where cargo never ran
  for (const dir of ['bin', 'lib']) fs.cpSync(path.join(root, dir), path.join(tmp, dir), { recursive: true })
  fs.copyFileSync(path.join(root, 'package.json'), path.join(tmp, 'package.json'))
  fs.copyFileSync(path.join(root, 'index.js'), path.join(tmp, 'index.js'))
  const env = { ...process.env, NODE_PATH: path.join(root, 'node_modules') }
  for (const args of [['check', 'http://127.0.0.1:9/', '--origin', 'http://a.test'], ['nginx', path.join(root, 'examples', 'cors-options.js')]]) {
    const r = spawnSync(process.execPath, [path.join(tmp, 'bin', 'rust-cors.js'), ...args], { cwd: tmp, encoding: 'utf8', env })
    expect([args[0], r.status]).toEqual([args[0], 2])
    expect(r.stderr).toMatch(/the native addon for \S+ is not built/)
    expect(r.stderr).toContain('npm run build')
    expect(r.stderr).not.toContain('internal error')
  }
})

describe('engines in the lockfile', () => {
  const lock = require('../package-lock.json')
  // What npm installs on this machine: everything but optional packages for another os/cpu.
  const installed = Object.entries(lock.packages).filter(([name, entry]) => name &&
    !(entry.optional && ((entry.os && !entry.os.includes(process.platform)) || (entry.cpu && !entry.cpu.includes(process.arch)))))
  const refusing = (version, entries) => entries
    .filter(([, entry]) => typeof (entry.engines && entry.engines.node) === 'string' && !semver.satisfies(version, entry.engines.node))
    .map(([name, entry]) => `${name}@${entry.version} (${entry.engines.node})`)

  test('no EBADENGINE on this Node or on the lowest contributor Node of each major (devEngines)', () => {
    expect(refusing(process.version, installed)).toEqual([])
    for (const range of pkg.devEngines.runtime.version.split('||')) {
      expect([range, refusing(semver.minVersion(range).version, installed)]).toEqual([range, []])
    }
  })

  test('what users install supports every Node version engines allows', () => {
    const lowest = semver.minVersion(pkg.engines.node).version
    expect(refusing(lowest, installed.filter(([, entry]) => !entry.dev))).toEqual([])
  })
})

'use strict'

// `rust-cors nginx <options-module> [--prefix NAME]`, run as a user runs it.

const fs = require('fs')
const os = require('os')
const path = require('path')
const { spawnSync } = require('child_process')
const rustCors = require('..')

const BIN = path.join(__dirname, '..', 'bin', 'rust-cors.js')

function run (...args) {
  const r = spawnSync(process.execPath, [BIN, 'nginx', ...args], { encoding: 'utf8' })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

let dir
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-cors-nginx-cli-'))
  const write = (name, text) => fs.writeFileSync(path.join(dir, name), text)
  write('api.js', "module.exports = { origin: ['https://app.example.com', 'https://*.example.com'], credentials: true, maxAge: 600 }\n")
  write('esm.mjs', "export default { origin: /^https:\\/\\/[a-z]+\\.example\\.com$/, exposedHeaders: ['X-Total'] }\n")
  write('delegate.js', 'module.exports = function (req, cb) { cb(null, { origin: true }) }\n')
  write('named.mjs', "export const options = { origin: 'https://a.example.com' }\n")
  write('broken.js', 'module.exports = {\n')
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

test('prints the http part, then the location part, for a CommonJS module', () => {
  const r = run(path.join(dir, 'api.js'), '--prefix', 'api')
  const expected = rustCors.toNginx(require(path.join(dir, 'api.js')), { prefix: 'api' })
  expect(r.code).toBe(0)
  expect(r.stdout).toBe(`${expected.http}\n${expected.location}`)
  expect(r.stdout).toMatch(/^# rust-cors policy "api": put this in the http \{\} block/)
  expect(r.stdout).toMatch(/\n# rust-cors policy "api": put this in each location \{\} block/)
  expect(r.stdout).toContain('map $http_origin $api_allow_origin {')
})

test('loads the default export of an ES module; the prefix defaults to "cors"', () => {
  const r = run(path.join(dir, 'esm.mjs'))
  expect(r.code).toBe(0)
  const expected = rustCors.toNginx({ origin: /^https:\/\/[a-z]+\.example\.com$/, exposedHeaders: ['X-Total'] })
  expect(r.stdout).toBe(`${expected.http}\n${expected.location}`)
  expect(r.stdout).toContain('$cors_allow_origin')
})

test('options nginx cannot express: exit 1 with the TypeError naming the option', () => {
  const r = run(path.join(dir, 'delegate.js'))
  expect(r.code).toBe(1)
  expect(r.stdout).toBe('')
  expect(r.stderr).toMatch(/option `options`: an options delegate/)
  const bad = run(path.join(dir, 'api.js'), '--prefix', '9-lives')
  expect(bad.code).toBe(1)
  expect(bad.stderr).toMatch(/option `prefix`/)
})

test('usage errors and modules that cannot be loaded: exit 2', () => {
  expect(run().code).toBe(2)
  expect(run(path.join(dir, 'api.js'), '--prefix').code).toBe(2)
  expect(run(path.join(dir, 'api.js'), '--bogus').code).toBe(2)
  const missing = run(path.join(dir, 'nope.js'))
  expect(missing.code).toBe(2)
  expect(missing.stderr).toBe(`rust-cors nginx: ${path.join(dir, 'nope.js')}: no such file\n`)
  const broken = run(path.join(dir, 'broken.js'))
  expect(broken.code).toBe(2)
  expect(broken.stderr).toMatch(/broken\.js: could not be loaded \(/)
  const named = run(path.join(dir, 'named.mjs'))
  expect(named.code).toBe(2)
  expect(named.stderr).toMatch(/no default export/)
  const help = run('--help')
  expect(help.code).toBe(0)
  expect(help.stdout).toMatch(/^Usage: rust-cors nginx <options-module>/)
})

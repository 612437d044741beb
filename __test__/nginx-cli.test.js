'use strict'

// `rust-cors nginx <options-module> [--prefix NAME]`, run as a user runs it.

const fs = require('fs')
const os = require('os')
const path = require('path')
const { spawnSync } = require('child_process')
const rustCors = require('..')
const { nginxPath, describeNginx } = require('./helpers/nginx-server')

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
  write('wildcard.js', "module.exports = { origin: '*', credentials: true }\n")
  write('strict.js', "module.exports = { origin: '*', credentials: true, strict: true }\n")
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

// What the default output says before the two parts.
const BOTH = /^# Two parts follow: the first goes in the http \{\} block, the second in each\n# location \{\} block the policy covers\. To include one from a file, print it\n# alone: rust-cors nginx <options-module> --part http \(or --part location\)\.\n\n/

test('prints the http part, then the location part, for a CommonJS module', () => {
  const r = run(path.join(dir, 'api.js'), '--prefix', 'api')
  const expected = rustCors.toNginx(require(path.join(dir, 'api.js')), { prefix: 'api' })
  expect(r.code).toBe(0)
  expect(r.stdout).toMatch(BOTH)
  expect(r.stdout.replace(BOTH, '')).toBe(`${expected.http}\n${expected.location}`)
  expect(r.stdout.replace(BOTH, '')).toMatch(/^# rust-cors policy "api": put this in the http \{\} block/)
  expect(r.stdout).toMatch(/\n# rust-cors policy "api": put this in each location \{\} block/)
  expect(r.stdout).toContain('map $http_origin $api_allow_origin {')
})

test('loads the default export of an ES module; the prefix defaults to "cors"', () => {
  const r = run(path.join(dir, 'esm.mjs'))
  expect(r.code).toBe(0)
  const expected = rustCors.toNginx({ origin: /^https:\/\/[a-z]+\.example\.com$/, exposedHeaders: ['X-Total'] })
  expect(r.stdout.replace(BOTH, '')).toBe(`${expected.http}\n${expected.location}`)
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

test('--part http and --part location print one part each', () => {
  const expected = rustCors.toNginx(require(path.join(dir, 'api.js')), { prefix: 'api' })
  const http = run(path.join(dir, 'api.js'), '--prefix', 'api', '--part', 'http')
  expect(http.code).toBe(0)
  expect(http.stdout).toBe(expected.http)
  const location = run(path.join(dir, 'api.js'), '--prefix=api', '--part=location')
  expect(location.code).toBe(0)
  expect(location.stdout).toBe(expected.location)
  const bad = run(path.join(dir, 'api.js'), '--part', 'server')
  expect(bad.code).toBe(2)
  expect(bad.stderr).toMatch(/--part needs http or location/)
  expect(run(path.join(dir, 'api.js'), '--part').code).toBe(2)
})

// The RustCorsWarning codes a fresh process emits for `call` (each warning
// is emitted once per process, so each side runs in its own).
function warningCodes (call, options) {
  const script = `
    const codes = []
    process.on('warning', (w) => { if (w.name === 'RustCorsWarning') codes.push(w.code) })
    const rustCors = require(${JSON.stringify(path.join(__dirname, '..'))})
    const options = ${options}
    ${call}
    setImmediate(() => process.stdout.write(JSON.stringify(codes)))
  `
  const r = spawnSync(process.execPath, ['--no-warnings', '-e', script], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(r.stderr)
  return JSON.parse(r.stdout)
}

describe('toNginx and the CLI warn as rustCors() does for the same options', () => {
  const cases = [
    "{ origin: '*', credentials: true }",
    "{ origin: ['https://*.com', 'https://app.example.com'] }",
    "{ origin: 'https://app.example.com', credentials: 'true' }"
  ]
  test.each(cases)('%s', (options) => {
    const middleware = warningCodes('rustCors(options)', options)
    const exported = warningCodes('rustCors.toNginx(options)', options)
    expect(middleware.length).toBeGreaterThan(0)
    expect(exported).toEqual(middleware)
    // strict: true throws the same error from both.
    const strict = (fn) => { try { fn(); return null } catch (e) { return [e.constructor.name, e.code, e.message] } }
    // eslint-disable-next-line no-new-func
    const value = new Function(`return ${options}`)()
    const fromMiddleware = strict(() => rustCors({ ...value, strict: true }))
    expect(fromMiddleware).not.toBeNull()
    expect(strict(() => rustCors.toNginx({ ...value, strict: true }))).toEqual(fromMiddleware)
  })

  test('the CLI prints them on stderr and still exits 0; with strict: true it exits 1', () => {
    const r = run(path.join(dir, 'wildcard.js'))
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/RustCorsWarning: .*`credentials: true` with `origin: '\*'`/)
    expect(r.stdout).toMatch(BOTH)
    const strict = run(path.join(dir, 'strict.js'))
    expect(strict.code).toBe(1)
    expect(strict.stdout).toBe('')
    expect(strict.stderr).toMatch(/`credentials: true` with `origin: '\*'`/)
  })
})

// `nginx -t` on a configuration that includes one printed part in its context.
function nginxTest (httpInclude, locationInclude) {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-cors-nginx-t-'))
  fs.mkdirSync(path.join(prefix, 'logs'))
  const conf = path.join(prefix, 'nginx.conf')
  fs.writeFileSync(conf, [
    process.getuid && process.getuid() === 0 ? 'user root;' : '',
    `pid ${path.join(prefix, 'nginx.pid')};`,
    'events {}',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${path.join(prefix, 'body')};`,
    `  proxy_temp_path ${path.join(prefix, 'proxy')};`,
    `  fastcgi_temp_path ${path.join(prefix, 'fastcgi')};`,
    `  uwsgi_temp_path ${path.join(prefix, 'uwsgi')};`,
    `  scgi_temp_path ${path.join(prefix, 'scgi')};`,
    httpInclude ? `  include ${httpInclude};` : '',
    '  server {',
    '    listen 127.0.0.1:1;',
    '    location /api/ {',
    locationInclude ? `      include ${locationInclude};` : '',
    '      proxy_pass http://127.0.0.1:2;',
    '    }',
    '  }',
    '}',
    ''
  ].join('\n'))
  const r = spawnSync(nginxPath(), ['-t', '-p', prefix, '-c', conf, '-e', path.join(prefix, 'logs', 'error.log')], { encoding: 'utf8' })
  fs.rmSync(prefix, { recursive: true, force: true })
  return { code: r.status, output: r.stderr }
}

describeNginx('each printed part passes nginx -t included in its own context', () => {
  test.each([['api.js'], ['esm.mjs'], ['wildcard.js']])('%s', (file) => {
    const http = path.join(dir, `${file}.http.conf`)
    const location = path.join(dir, `${file}.location.conf`)
    const httpPart = run(path.join(dir, file), '--part', 'http')
    const locationPart = run(path.join(dir, file), '--part', 'location')
    expect([httpPart.code, locationPart.code]).toEqual([0, 0])
    fs.writeFileSync(http, httpPart.stdout)
    fs.writeFileSync(location, locationPart.stdout)
    const both = nginxTest(http, location)
    expect(both.output).toMatch(/test is successful/)
    expect(both.code).toBe(0)
    // Each part is needed where it goes, and fails anywhere else: the location part
    // alone lacks its map variables, and the http part in a location is refused.
    expect(nginxTest(null, location).code).not.toBe(0)
    expect(nginxTest(null, http).output).toMatch(/"map" directive is not allowed here/)
    expect(nginxTest(location, null).output).toMatch(/directive is not allowed here/)
  })
})

'use strict'

// A user's install, end to end. `npm run pack`'s tarballs (the main package and the prebuilt
// platform package) go into a fresh folder outside the repository, with express, through
// `npm install --ignore-scripts` and with no Rust toolchain on PATH (cargo, rustc and rustup are
// taken off it, which the test checks). Then an Express app answers a preflight and a GET over
// real HTTP, exactly as cors@2.8.6 does in the same folder, an ES module imports the package,
// and tsc type-checks a TypeScript app against the installed types. Anything that needs a
// compiler or an install script fails here: install scripts do not run, and none may exist.
//
// The tarballs pack the addon already built (`npm run build`, or the repository's `npm install`);
// without it this test fails and says so. Packages come from the local npm cache
// (`--prefer-offline`): the repository's own install put express, cors and the @types there.

const { spawnSync, execFileSync } = require('child_process')
const fs = require('fs')
const os = require('os')
const path = require('path')

const root = path.join(__dirname, '..')
const INSTALL_TIMEOUT = 10 * 60 * 1000
const LIFECYCLE_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare']
const ORIGIN = 'http://localhost:5173'

const versionIn = (name) => require(path.join(root, 'node_modules', name, 'package.json')).version

let work // the temp folder: tarballs/, app/, bin/
let appDir
let env // the user's environment: no Rust toolchain, no npm_* variables from `npm test`
let tarballs
let installSeconds

// PATH without any folder that holds cargo, rustc or rustup; `node` and `npm` stay reachable
// through links in a folder of our own (in case they shared a folder with cargo).
function userEnv (binDir) {
  const rustTools = ['cargo', 'rustc', 'rustup']
  const dirs = (process.env.PATH || '').split(path.delimiter)
    .filter((dir) => dir && !rustTools.some((tool) => fs.existsSync(path.join(dir, tool))))
  const npmBin = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim()
  fs.symlinkSync(process.execPath, path.join(binDir, 'node'))
  fs.symlinkSync(fs.realpathSync(npmBin), path.join(binDir, 'npm'))
  const clean = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|cargo|rustup|rustc)/i.test(key)) clean[key] = value
  }
  clean.PATH = [binDir, ...dirs].join(path.delimiter)
  return clean
}

function run (cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: appDir, env, encoding: 'utf8', timeout: INSTALL_TIMEOUT, ...options })
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`)
  return r
}

function mustRun (cmd, args, options) {
  const r = run(cmd, args, options)
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`)
  return r
}

function filesUnder (dir) {
  return fs.readdirSync(dir, { recursive: true }).map((file) => path.join(dir, file))
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-cors-consumer-'))
  if (fs.realpathSync(work).startsWith(fs.realpathSync(root) + path.sep)) throw new Error('the temp folder is inside the repository')
  appDir = path.join(work, 'app')
  fs.mkdirSync(appDir)
  fs.mkdirSync(path.join(work, 'bin'))
  env = userEnv(path.join(work, 'bin'))

  // The same script as `npm run pack`, on the addon already built.
  const packed = spawnSync(process.execPath, [path.join(root, 'scripts', 'pack.js'), '--no-build', '--out', path.join(work, 'tarballs')],
    { cwd: root, encoding: 'utf8' })
  if (packed.status !== 0) {
    throw new Error(`npm run pack failed (is the addon built? \`npm run build\`):\n${packed.stdout}\n${packed.stderr}`)
  }
  tarballs = fs.readdirSync(path.join(work, 'tarballs')).filter((file) => file.endsWith('.tgz'))
    .map((file) => path.join(work, 'tarballs', file))

  fs.writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'consumer-app', version: '1.0.0', private: true }, null, 2))
  const started = process.hrtime.bigint()
  mustRun('npm', ['install', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs, `express@${versionIn('express')}`])
  installSeconds = Number(process.hrtime.bigint() - started) / 1e9
  console.log(`consumer: npm install --ignore-scripts of ${tarballs.map((file) => path.basename(file)).join(', ')} and express took ${installSeconds.toFixed(1)} s`)
  // What the comparison and the type check need, as a TypeScript user would add them.
  mustRun('npm', ['install', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--save-dev',
    `cors@${versionIn('cors')}`, `@types/express@${versionIn('@types/express')}`, `@types/node@${versionIn('@types/node')}`])
}, INSTALL_TIMEOUT)

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true })
})

test('the user has no Rust toolchain on PATH', () => {
  for (const tool of ['cargo', 'rustc']) {
    const r = spawnSync(tool, ['--version'], { env, encoding: 'utf8' })
    expect(r.error && r.error.code).toBe('ENOENT')
  }
})

test('two tarballs: the main package and one prebuilt platform package', () => {
  expect(tarballs.map((file) => path.basename(file)).sort()).toEqual([
    expect.stringMatching(/^rust-cors-0\.\d+\.\d+\.tgz$/),
    expect.stringMatching(/^rust-cors-(linux|darwin|win32)-[a-z0-9]+(-(gnu|musl|msvc))?-0\.\d+\.\d+\.tgz$/)
  ].sort())
})

test('no package in the install has an install script, and rust-cors ships no binary', () => {
  const lock = JSON.parse(fs.readFileSync(path.join(appDir, 'package-lock.json'), 'utf8'))
  const withScripts = Object.entries(lock.packages).filter(([, entry]) => entry.hasInstallScript).map(([name]) => name)
  expect(withScripts).toEqual([])

  const main = path.join(appDir, 'node_modules', 'rust-cors')
  const manifest = JSON.parse(fs.readFileSync(path.join(main, 'package.json'), 'utf8'))
  expect(LIFECYCLE_SCRIPTS.filter((script) => manifest.scripts && manifest.scripts[script])).toEqual([])
  expect(fs.existsSync(path.join(main, 'binding.gyp'))).toBe(false) // npm would run node-gyp for it
  expect(filesUnder(main).filter((file) => /\.node$|[\\/](target|__test__|benchmark)([\\/]|$)/.test(file))).toEqual([])
  expect(manifest.dependencies).not.toHaveProperty('@napi-rs/cli')

  // The platform package is pinned to the same version and holds exactly one .node.
  const [platformName] = Object.keys(manifest.optionalDependencies)
  expect(Object.values(manifest.optionalDependencies)).toEqual([manifest.version])
  const platformDir = path.join(appDir, 'node_modules', platformName)
  const platformManifest = JSON.parse(fs.readFileSync(path.join(platformDir, 'package.json'), 'utf8'))
  expect(platformManifest.version).toBe(manifest.version)
  expect(platformManifest.os).toEqual([process.platform])
  expect(platformManifest.cpu).toEqual([process.arch])
  if (process.platform === 'linux') expect(platformManifest.libc).toEqual([platformName.endsWith('-musl') ? 'musl' : 'glibc'])
  expect(filesUnder(platformDir).filter((file) => file.endsWith('.node')).map((file) => path.basename(file)))
    .toEqual([platformManifest.main])
})

// app.js <module>: an Express app behind `require(<module>)(...)`, one preflight and one GET,
// printed as JSON (status, raw headers in order without Date, body, native files loaded).
const APP = `'use strict'
const http = require('node:http')
const express = require('express')
const app = express()
app.use(require(process.argv[2])({ origin: '${ORIGIN}', credentials: true }))
app.get('/data', (req, res) => res.json({ ok: true }))
function request (port, method, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/data', method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => { body += chunk })
      res.on('end', () => {
        const pairs = []
        for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i], res.rawHeaders[i + 1]])
        resolve({ status: res.statusCode, headers: pairs.filter(([name]) => name !== 'Date'), body })
      })
    })
    req.on('error', reject)
    req.end()
  })
}
const server = app.listen(0, '127.0.0.1', async () => {
  const { port } = server.address()
  const preflight = await request(port, 'OPTIONS', {
    Origin: '${ORIGIN}', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type,x-token'
  })
  const get = await request(port, 'GET', { Origin: '${ORIGIN}' })
  const nativeFiles = Object.keys(require.cache).filter((file) => file.endsWith('.node'))
  console.log(JSON.stringify({ preflight, get, nativeFiles }))
  server.close()
})
`

function runApp (moduleName) {
  fs.writeFileSync(path.join(appDir, 'app.js'), APP)
  const r = mustRun('node', ['app.js', moduleName], { timeout: 30000 })
  return JSON.parse(r.stdout)
}

test('an Express app answers a preflight and a GET over HTTP, as cors does', () => {
  const rust = runApp('rust-cors')
  const header = (response, name) => response.headers.filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, value]) => value)

  expect(rust.preflight.status).toBe(204)
  expect(header(rust.preflight, 'Access-Control-Allow-Origin')).toEqual([ORIGIN])
  expect(header(rust.preflight, 'Access-Control-Allow-Credentials')).toEqual(['true'])
  expect(header(rust.preflight, 'Access-Control-Allow-Methods')).toEqual(['GET,HEAD,PUT,PATCH,POST,DELETE'])
  expect(header(rust.preflight, 'Access-Control-Allow-Headers')).toEqual(['content-type,x-token'])
  expect(header(rust.preflight, 'Vary')).toEqual(['Origin, Access-Control-Request-Headers'])
  expect(header(rust.preflight, 'Content-Length')).toEqual(['0'])
  expect(rust.preflight.body).toBe('')

  expect(rust.get.status).toBe(200)
  expect(header(rust.get, 'Access-Control-Allow-Origin')).toEqual([ORIGIN])
  expect(header(rust.get, 'Access-Control-Allow-Credentials')).toEqual(['true'])
  expect(header(rust.get, 'Vary')).toEqual(['Origin'])
  expect(JSON.parse(rust.get.body)).toEqual({ ok: true })

  // The addon came from the platform package, not from a build.
  expect(rust.nativeFiles).toHaveLength(1)
  const nativeDir = path.relative(path.join(fs.realpathSync(appDir), 'node_modules'), path.dirname(rust.nativeFiles[0]))
  expect(nativeDir).toMatch(/^rust-cors-[a-z0-9-]+$/)

  // The one-line switch: cors@2.8.6 in the same app gives the same responses, header order included.
  const reference = runApp('cors')
  expect(reference.nativeFiles).toEqual([])
  expect(rust.preflight).toEqual(reference.preflight)
  expect(rust.get).toEqual(reference.get)
})

test('an ES module imports it', () => {
  fs.writeFileSync(path.join(appDir, 'app.mjs'), [
    "import express from 'express'",
    "import cors, { rustCors, explain } from 'rust-cors'",
    "if (cors !== rustCors || typeof explain !== 'function') throw new Error('bad exports')",
    'const app = express()',
    `app.use(cors({ origin: '${ORIGIN}', credentials: true }))`,
    "app.get('/data', (req, res) => res.send('ok'))",
    "const server = app.listen(0, '127.0.0.1', async () => {",
    '  const url = `http://127.0.0.1:${server.address().port}/data`', // eslint-disable-line no-template-curly-in-string -- the consumer's own source
    `  const res = await fetch(url, { method: 'OPTIONS', headers: { Origin: '${ORIGIN}', 'Access-Control-Request-Method': 'DELETE' } })`,
    "  console.log(res.status, res.headers.get('access-control-allow-origin'), res.headers.get('access-control-allow-credentials'))",
    '  server.close()',
    '})',
    ''
  ].join('\n'))
  const r = mustRun('node', ['app.mjs'], { timeout: 30000 })
  expect(r.stderr).toBe('')
  expect(r.stdout.trim()).toBe(`204 ${ORIGIN} true`)
})

test('TypeScript: an Express app type-checks against the installed package', () => {
  fs.writeFileSync(path.join(appDir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', esModuleInterop: true, skipLibCheck: false, types: ['node'] },
    files: ['app.ts']
  }, null, 2))
  fs.writeFileSync(path.join(appDir, 'app.ts'), [
    "import express from 'express'",
    "import cors from 'rust-cors'",
    "import type { CorsOptions } from 'rust-cors'",
    '',
    `const options: CorsOptions = { origin: ['${ORIGIN}', 'https://*.example.com'], credentials: true, maxAge: 600 }`,
    'const app = express()',
    'app.use(cors(options))',
    "app.options('/data', cors({ origin: (origin, cb) => cb(null, origin === 'https://a.example.com') }))",
    '// explain() is a Promise when a callback answers later: await covers both.',
    'const verdict: Promise<boolean> = (async () => (await cors.explain(options, { method: \'GET\', headers: { origin: \'https://a.example.com\' } })).allowed)()',
    '// @ts-expect-error: credentials is a boolean (the types are checked, not any)',
    "cors({ credentials: 'yes' })",
    'export { app, verdict }',
    ''
  ].join('\n'))
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')
  const r = run('node', [tsc, '-p', 'tsconfig.json'], { timeout: 120000 })
  expect(r.stdout + r.stderr).toBe('')
  expect(r.status).toBe(0)
})

test('without its platform package, require names the platform and the from-source command', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(appDir, 'node_modules', 'rust-cors', 'package.json'), 'utf8'))
  const [platformName] = Object.keys(manifest.optionalDependencies)
  const platform = platformName.slice('rust-cors-'.length)
  const installed = path.join(appDir, 'node_modules', platformName)
  fs.renameSync(installed, installed + '.away')
  try {
    const r = mustRun('node', ['-e', "try { require('rust-cors') } catch (e) { console.log(e.code + ' ' + e.message) }"])
    expect(r.stdout).toMatch(/^RUST_CORS_NATIVE_MISSING /)
    expect(r.stdout).toContain(`for ${platform} `)
    expect(r.stdout).toContain(`optional package ${platformName}@${manifest.version}`)
    expect(r.stdout).toContain('npm run build')
    expect(r.stdout).toContain(path.join('node_modules', 'rust-cors'))
  } finally {
    fs.renameSync(installed + '.away', installed)
  }
})

test('on a platform with no prebuilt binary, require says so and gives the from-source command', () => {
  // The process claims a CPU no package is built for; the loader is the installed one.
  fs.writeFileSync(path.join(appDir, 'other-cpu.js'), "Object.defineProperty(process, 'arch', { value: 'riscv64' })\n")
  const r = mustRun('node', ['-r', './other-cpu.js', '-e', "try { require('rust-cors') } catch (e) { console.log(e.code + ' ' + e.platform + ' ' + e.message) }"])
  expect(r.stdout).toMatch(/^RUST_CORS_NATIVE_MISSING (\S*-riscv64\S*) /)
  const platform = r.stdout.split(' ')[1]
  const manifest = JSON.parse(fs.readFileSync(path.join(appDir, 'node_modules', 'rust-cors', 'package.json'), 'utf8'))
  const prebuilt = Object.keys(manifest.optionalDependencies).map((name) => name.slice('rust-cors-'.length))
  expect(r.stdout).toContain(`There is no prebuilt binary for ${platform} (prebuilt: ${prebuilt.join(', ')}).`)
  expect(r.stdout).toContain('npm run build')
})

test('only the main tarball installed: require names the platform package and how to add it', () => {
  // What a user gets from `npm install ./dist/rust-cors-<version>.tgz` alone: npm skips the
  // optional platform package it cannot find (offline here, so the registry is never asked).
  const onlyMain = path.join(work, 'only-main')
  fs.mkdirSync(onlyMain)
  fs.writeFileSync(path.join(onlyMain, 'package.json'), JSON.stringify({ name: 'only-main', version: '1.0.0', private: true }))
  const mainTarball = tarballs.find((file) => /^rust-cors-\d/.test(path.basename(file)))
  const platformTarball = tarballs.find((file) => file !== mainTarball)
  mustRun('npm', ['install', '--ignore-scripts', '--offline', '--no-audit', '--no-fund', mainTarball], { cwd: onlyMain })
  const manifest = JSON.parse(fs.readFileSync(path.join(onlyMain, 'node_modules', 'rust-cors', 'package.json'), 'utf8'))
  const [platformName] = Object.keys(manifest.optionalDependencies)
  expect(fs.existsSync(path.join(onlyMain, 'node_modules', platformName))).toBe(false)

  const r = mustRun('node', ['-e', "try { require('rust-cors'); console.log('loaded') } catch (e) { console.log(e.code + ' ' + e.message) }"], { cwd: onlyMain })
  expect(r.stdout).toMatch(/^RUST_CORS_NATIVE_MISSING /)
  expect(r.stdout).toContain(`optional package ${platformName}@${manifest.version}`)
  expect(r.stdout).toContain('only the main tarball was installed')
  // the tarball to add, by the name `npm run pack` gives it, and the registry name
  expect(r.stdout).toContain(path.basename(platformTarball))
  expect(r.stdout).toContain(`npm install ${platformName}@${manifest.version}`)

  // Following the message's advice works.
  mustRun('npm', ['install', '--ignore-scripts', '--offline', '--no-audit', '--no-fund', mainTarball, platformTarball], { cwd: onlyMain })
  const again = mustRun('node', ['-e', "console.log(typeof require('rust-cors'))"], { cwd: onlyMain })
  expect(again.stdout.trim()).toBe('function')
})

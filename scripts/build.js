'use strict'

// `npm run build` / `build:debug` / `prepare`: napi build of the addon into
// rust-cors.<platform>.node (JS loader and types are hand-written: --no-js, --dts binding.d.ts).
// Extra arguments go to napi build (e.g. `npm run build -- --target aarch64-apple-darwin`).
// Every failure says why: no cargo on PATH is named as such (napi's own message is
// "Internal Error: cargo metadata failed to run" and a stack trace), and a failed build points at
// cargo's output above it.

const { spawnSync } = require('child_process')
const path = require('path')

const root = path.join(__dirname, '..')

function fail (message) {
  console.error(`rust-cors build: ${message}`)
  process.exit(1)
}

const cargo = spawnSync('cargo', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' })
if (cargo.error || cargo.status !== 0) {
  fail('building the native addon needs the Rust toolchain (cargo and rustc), and `cargo --version` ' +
    `${cargo.error ? `could not run (${cargo.error.code || cargo.error.message})` : `exited ${cargo.status}`}. ` +
    'Install it (https://rustup.rs), or, to use rust-cors without building it, install the prebuilt tarballs of ' +
    '`npm run pack` (README, "Use it in your app").')
}

const napi = require.resolve('@napi-rs/cli/package.json')
const cli = path.join(path.dirname(napi), require(napi).bin.napi || require(napi).bin)
const args = ['build', '--platform', '--no-js', '--dts', 'binding.d.ts', ...process.argv.slice(2)]
const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' })
if (r.error) fail(`could not run napi ${args.join(' ')}: ${r.error.message}`)
if (r.status !== 0) fail(`napi ${args.join(' ')} failed (exit ${r.status === null ? r.signal : r.status}): cargo's output above says why.`)

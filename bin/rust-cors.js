#!/usr/bin/env node
'use strict'

// The `rust-cors` command (lib/cli/main.js): `rust-cors --help` lists the
// commands.

require('../lib/cli/main').main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
}, (err) => {
  // The addon not built (a checkout without cargo, a missing platform package) is not an
  // internal error: its message says what to install or build.
  if (err && err.code === 'RUST_CORS_NATIVE_MISSING') {
    process.stderr.write(`${err.message}\n`)
    process.exitCode = 2
    return
  }
  process.stderr.write(`rust-cors: internal error: ${err && err.stack ? err.stack : err}\n`)
  process.exitCode = 2
})

#!/usr/bin/env node
'use strict'

// The `rust-cors` command (lib/cli/main.js): `rust-cors --help` lists the
// commands.

require('../lib/cli/main').main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
}, (err) => {
  process.stderr.write(`rust-cors: internal error: ${err && err.stack ? err.stack : err}\n`)
  process.exitCode = 2
})

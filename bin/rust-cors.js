#!/usr/bin/env node
'use strict'

// The `rust-cors` command; everything is in lib/check.js.

const { main } = require('../lib/check')

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
}, (err) => {
  process.stderr.write(`rust-cors: internal error: ${err && err.stack ? err.stack : err}\n`)
  process.exitCode = 2
})

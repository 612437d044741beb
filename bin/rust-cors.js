#!/usr/bin/env node
'use strict'

// The `rust-cors` command: `nginx` is in lib/nginx-cli.js, everything else in lib/check.js.

const { main } = process.argv[2] === 'nginx' ? require('../lib/nginx-cli') : require('../lib/check')

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
}, (err) => {
  process.stderr.write(`rust-cors: internal error: ${err && err.stack ? err.stack : err}\n`)
  process.exitCode = 2
})

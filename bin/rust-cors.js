#!/usr/bin/env node
'use strict'

// The `rust-cors` command. Each subcommand is a module whose
// main(argv, io) resolves with the exit status; `check` also answers
// `--help`, `help` and unknown commands.

const COMMANDS = {
  check: () => require('../lib/check').main,
  nginx: () => require('../lib/nginx-cli').main
}

const argv = process.argv.slice(2)
const main = (COMMANDS[argv[0]] || COMMANDS.check)()

main(argv).then((code) => {
  process.exitCode = code
}, (err) => {
  process.stderr.write(`rust-cors: internal error: ${err && err.stack ? err.stack : err}\n`)
  process.exitCode = 2
})

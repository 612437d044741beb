'use strict'

// The `rust-cors` command: the top-level help, --version, and the commands.
// Each command is a module with main(argv, io) (argv: the arguments after
// its name), resolving with the exit status; a UsageError it throws is
// printed here as the one-line problem and a short usage (exit 2).

const { VERSION, UsageError } = require('./args')

const COMMANDS = {
  check: () => require('./check'),
  nginx: () => require('./nginx')
}

const NAMES = Object.keys(COMMANDS)
const USAGE = `rust-cors <command> [options]   (commands: ${NAMES.join(', ')}; rust-cors --help for more)`

function help () {
  const lines = NAMES.map((name) => `  ${name.padEnd(7)} ${COMMANDS[name]().SUMMARY}`)
  return `rust-cors ${VERSION}: the command-line tools of rust-cors, the CORS middleware

Usage: rust-cors <command> [options]

Commands:
${lines.join('\n')}
  help    this text; rust-cors help <command> (or <command> --help): that
          command's options

Options:
  -h, --help     this text
  -V, --version  print the version (${VERSION})

Run 'rust-cors <command> --help' for a command's options and exit statuses.
`
}

// The whole command line; io: { stdout, stderr } with write(). Returns the
// exit status.
async function main (argv, io = { stdout: process.stdout, stderr: process.stderr }) {
  const [name, ...rest] = argv
  if (name === undefined) {
    io.stderr.write(help())
    return 2
  }
  if (name === '-h' || name === '--help' || (name === 'help' && rest.length === 0)) {
    io.stdout.write(help())
    return 0
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${VERSION}\n`)
    return 0
  }
  const asked = name === 'help' ? rest[0] : name
  if (!Object.hasOwn(COMMANDS, asked)) {
    const what = asked.startsWith('-') ? `unknown option ${asked}` : `unknown command ${JSON.stringify(asked)}`
    io.stderr.write(`rust-cors: ${what}\nUsage: ${USAGE}\n`)
    return 2
  }
  if (name === 'help') {
    io.stdout.write(COMMANDS[asked]().HELP + '\n')
    return 0
  }
  const command = COMMANDS[name]()
  try {
    return await command.main(rest, io)
  } catch (e) {
    if (!(e instanceof UsageError)) throw e
    io.stderr.write(`rust-cors ${name}: ${e.message}\nUsage: ${command.USAGE}   (rust-cors ${name} --help for more)\n`)
    return 2
  }
}

module.exports = { main }

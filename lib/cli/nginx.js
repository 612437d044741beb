'use strict'

// `rust-cors nginx <options-module> [--prefix NAME] [--part http|location]`:
// prints the nginx configuration for the options a module exports
// (rustCors.toNginx), both parts or one.
//
// Exit status: 0 printed, 1 the options cannot be exported (or are invalid),
// 2 usage error or the module could not be loaded.

const { UsageError, walkArgs } = require('./args')
const { loadModule } = require('./load')

const SUMMARY = 'print nginx configuration that answers CORS as rustCors(options)'
const USAGE = 'rust-cors nginx <options-module> [--prefix NAME] [--part http|location]'

const HELP = `Usage: ${USAGE}

Prints the nginx configuration that answers CORS exactly as
rustCors(options) does, for the options object <options-module> exports
(CommonJS module.exports, an ES module's default export, or JSON).

Two parts are printed: map blocks for the http {} block, and directives for
each location {} block the policy covers (before proxy_pass, return or root).
Each part can only be included in its own context: print one alone with
--part, e.g. into a file that the http {} block (or a location) includes.
The same configuration warnings as rustCors(options) are printed to stderr;
with strict: true they are errors (exit 1).

Options:
  --prefix NAME   start of the nginx variable names (default "cors"); give each
                  policy in one configuration its own prefix
  --part PART     print only the http part or only the location part
  -h, --help      this text

Exit status: 0 printed, 1 the options cannot be exported, 2 usage error.

Examples:
  rust-cors nginx ./cors-options.js --prefix api
  rust-cors nginx ./cors-options.js --prefix api --part http > /etc/nginx/conf.d/cors-api.conf
  rust-cors nginx ./cors-options.js --prefix api --part location > /etc/nginx/snippets/cors-api.conf`

// Before both parts: where each goes (neither can be included elsewhere).
const BOTH = `# Two parts follow: the first goes in the http {} block, the second in each
# location {} block the policy covers. To include one from a file, print it
# alone: rust-cors nginx <options-module> --part http (or --part location).

`

// argv: the arguments after `nginx`.
function parseArgs (argv) {
  const opts = { file: null, prefix: 'cors', part: null, help: false }
  walkArgs(argv, (arg, value) => {
    switch (arg) {
      case '-h': case '--help': opts.help = true; return 'stop'
      case '--prefix': opts.prefix = value(); break
      case '--part':
        opts.part = value()
        if (opts.part !== 'http' && opts.part !== 'location') throw new UsageError('--part needs http or location')
        break
      default: return false
    }
  }, (arg) => {
    if (opts.file !== null) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`)
    opts.file = arg
  })
  if (!opts.help && opts.file === null) throw new UsageError('missing <options-module>')
  return opts
}

// The command. A UsageError from the command line reaches the caller
// (lib/cli/main.js); returns the exit status.
async function main (argv, io) {
  const opts = parseArgs(argv)
  if (opts.help) {
    io.stdout.write(HELP + '\n')
    return 0
  }
  let options
  try {
    const loaded = await loadModule(opts.file)
    if (loaded.namespace) {
      throw new UsageError(`${opts.file} has no default export; export the options object (export default { ... } or module.exports = { ... })`)
    }
    options = loaded.value
  } catch (e) {
    if (!(e instanceof UsageError)) throw e
    io.stderr.write(`rust-cors nginx: ${e.message}\n`)
    return 2
  }
  let config
  try {
    config = require('../..').toNginx(options, { prefix: opts.prefix })
  } catch (e) {
    if (!(e instanceof TypeError)) throw e
    io.stderr.write(`${e.message}\n`)
    return 1
  }
  if (opts.part !== null) {
    io.stdout.write(config[opts.part])
  } else {
    io.stdout.write(`${BOTH}${config.http}\n${config.location}`)
  }
  return 0
}

module.exports = { main, parseArgs, SUMMARY, USAGE, HELP }

'use strict'

// `rust-cors nginx <options-module> [--prefix NAME] [--part http|location]`:
// prints the nginx configuration for the options a module exports
// (rustCors.toNginx), both parts or one.
//
// Exit status: 0 printed, 1 the options cannot be exported (or are invalid),
// 2 usage error or the module could not be loaded.

const path = require('path')
const { pathToFileURL } = require('url')

const USAGE = `Usage: rust-cors nginx <options-module> [--prefix NAME] [--part http|location]

Prints the nginx configuration that answers CORS exactly as
rustCors(options) does, for the options object <options-module> exports
(CommonJS module.exports or an ES module's default export).

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

class UsageError extends Error {}

function parseArgs (argv) {
  const args = argv.slice()
  if (args[0] === 'nginx') args.shift()
  const opts = { file: null, prefix: 'cors', part: null, help: false }
  while (args.length > 0) {
    const arg = args.shift()
    if (arg === '-h' || arg === '--help') {
      opts.help = true
    } else if (arg === '--prefix' || arg.startsWith('--prefix=')) {
      const value = arg === '--prefix' ? args.shift() : arg.slice('--prefix='.length)
      if (value === undefined) throw new UsageError('--prefix needs a name')
      opts.prefix = value
    } else if (arg === '--part' || arg.startsWith('--part=')) {
      const value = arg === '--part' ? args.shift() : arg.slice('--part='.length)
      if (value !== 'http' && value !== 'location') throw new UsageError('--part needs http or location')
      opts.part = value
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${JSON.stringify(arg)}`)
    } else if (opts.file === null) {
      opts.file = arg
    } else {
      throw new UsageError(`unexpected argument ${JSON.stringify(arg)}`)
    }
  }
  if (!opts.help && opts.file === null) throw new UsageError('missing <options-module>')
  return opts
}

// The options a module exports: import() gives an ES module's namespace, or
// a CommonJS module's module.exports as `default`.
async function loadOptions (file) {
  const url = pathToFileURL(path.resolve(file)).href
  const namespace = await import(url)
  if (!('default' in namespace)) {
    throw new UsageError(`${file} has no default export; export the options object (export default { ... } or module.exports = { ... })`)
  }
  return namespace.default
}

async function main (argv, io = { stdout: process.stdout, stderr: process.stderr }) {
  let opts
  try {
    opts = parseArgs(argv)
  } catch (e) {
    if (!(e instanceof UsageError)) throw e
    io.stderr.write(`rust-cors nginx: ${e.message}\n\n${USAGE}\n`)
    return 2
  }
  if (opts.help) {
    io.stdout.write(USAGE + '\n')
    return 0
  }
  let options
  try {
    options = await loadOptions(opts.file)
  } catch (e) {
    io.stderr.write(`rust-cors nginx: cannot load ${opts.file}: ${e && e.message ? e.message : e}\n`)
    return 2
  }
  let config
  try {
    config = require('..').toNginx(options, { prefix: opts.prefix })
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

module.exports = { main }

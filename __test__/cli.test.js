'use strict'

// The `rust-cors` command introduces itself: one top-level help listing every
// command, each command's --help, --version, and short errors (the problem in
// one line and a usage line, exit 2) for unknown commands and usage errors.
// Run as a user runs it (bin/rust-cors.js in a child process).

const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { version } = require('../package.json')

const BIN = path.join(__dirname, '..', 'bin', 'rust-cors.js')

function run (...args) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

const TOP_USAGE = 'Usage: rust-cors <command> [options]   (commands: check, nginx; rust-cors --help for more)'

describe('top-level help', () => {
  test('--help, -h and help print one help listing every command with a line each (exit 0)', () => {
    const help = run('--help')
    expect(help.code).toBe(0)
    expect(help.stderr).toBe('')
    expect(help.stdout).toMatch(new RegExp(`^rust-cors ${version.replace(/\./g, '\\.')}: `))
    expect(help.stdout).toContain('Usage: rust-cors <command> [options]')
    expect(help.stdout).toMatch(/^ {2}check {3}judge a live server's CORS answers as a browser would$/m)
    expect(help.stdout).toMatch(/^ {2}nginx {3}print nginx configuration that answers CORS as rustCors\(options\)$/m)
    expect(help.stdout).toContain('--version')
    expect(run('-h')).toEqual(help)
    expect(run('help')).toEqual(help)
  })

  test('no command: the same help on stderr, exit 2', () => {
    const r = run()
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe(run('--help').stdout)
  })

  test('each command has its own help: <command> --help, <command> -h and help <command>', () => {
    for (const [name, first] of [['check', 'Usage: rust-cors check <url> --origin <origin> [options]'], ['nginx', 'Usage: rust-cors nginx <options-module> [--prefix NAME] [--part http|location]']]) {
      const r = run(name, '--help')
      expect(r.code).toBe(0)
      expect(r.stderr).toBe('')
      expect(r.stdout.split('\n')[0]).toBe(first)
      expect(r.stdout).not.toContain('Commands:')
      expect(run(name, '-h')).toEqual(r)
      expect(run('help', name)).toEqual(r)
    }
  })

  test('check --help documents every field a --cases file accepts', () => {
    const help = run('check', '--help').stdout
    for (const field of ['"url"', '"expect"', '"name"', '"origin"', '"method"', '"headers"', '"credentials"', '"preflightOnly"', '"baseUrl"', '"defaults"', '"cases"']) {
      expect(help).toContain(field)
    }
  })
})

test('--version prints the package version (exit 0)', () => {
  expect(run('--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
})

describe('errors: the problem in one line and a short usage, exit 2', () => {
  test.each([
    [['frobnicate'], 'rust-cors: unknown command "frobnicate"'],
    [['help', 'frobnicate'], 'rust-cors: unknown command "frobnicate"'],
    [['--bogus'], 'rust-cors: unknown option --bogus']
  ])('%j', (args, problem) => {
    expect(run(...args)).toEqual({ code: 2, stdout: '', stderr: `${problem}\n${TOP_USAGE}\n` })
  })

  test('a usage error of a command names the command and shows its usage line only', () => {
    const check = run('check', 'http://127.0.0.1:1/', '--origin', 'http://localhost:5173/')
    expect(check.code).toBe(2)
    expect(check.stdout).toBe('')
    expect(check.stderr.trimEnd().split('\n')).toEqual([
      'rust-cors check: --origin "http://localhost:5173/" is not how a browser writes an origin (scheme://host[:port], lower-case, no default port, no path or trailing slash): it ends with a slash; did you mean http://localhost:5173?',
      'Usage: rust-cors check <url> --origin <origin> [options] | --cases <file> [options]   (rust-cors check --help for more)'
    ])
    const nginx = run('nginx', '--prefix')
    expect(nginx.code).toBe(2)
    expect(nginx.stderr).toBe('rust-cors nginx: --prefix needs a value\nUsage: rust-cors nginx <options-module> [--prefix NAME] [--part http|location]   (rust-cors nginx --help for more)\n')
  })
})

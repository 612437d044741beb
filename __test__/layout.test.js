'use strict'

// The layout the code promises (issue 16): no import circle anywhere in the
// library or the command line (found by madge, not by hand), no lib/ file
// over 350 lines, the library apart from its command-line tools, and the
// diagnostics as leaves that do not reach back into the request path.

const fs = require('node:fs')
const path = require('node:path')
const madge = require('madge')

const ROOT = path.join(__dirname, '..')
const MAX_LINES = 350

let graph
beforeAll(async () => {
  const result = await madge(['index.js', 'index.mjs', 'lib', 'bin'].map((p) => path.join(ROOT, p)), {
    baseDir: ROOT,
    fileExtensions: ['js', 'mjs']
  })
  graph = { deps: result.obj(), circular: result.circular(), skipped: result.warnings().skipped }
})

// Every file a module reaches through its imports.
function reach (file, deps = graph.deps, seen = new Set()) {
  for (const next of deps[file] || []) {
    if (!seen.has(next)) {
      seen.add(next)
      reach(next, deps, seen)
    }
  }
  return seen
}

test('madge reads every module of index.js, lib/ and bin/, and finds no circular import', () => {
  expect(graph.skipped).toEqual([])
  const files = Object.keys(graph.deps)
  for (const f of ['index.js', 'index.mjs', 'lib/middleware.js', 'lib/debug.js', 'lib/cli/main.js', 'lib/cli/cases.js', 'bin/rust-cors.js']) {
    expect(files).toContain(f)
  }
  expect(graph.circular).toEqual([])
})

test(`no file under lib/ is over ${MAX_LINES} lines`, () => {
  const sizes = []
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (/\.m?js$/.test(entry.name)) sizes.push([path.relative(ROOT, full), fs.readFileSync(full, 'utf8').split('\n').length - 1])
    }
  }
  walk(path.join(ROOT, 'lib'))
  expect(sizes.length).toBeGreaterThan(10)
  expect(sizes.filter(([, lines]) => lines > MAX_LINES)).toEqual([])
})

test('the library does not import the command line; the command line sits under lib/cli/', () => {
  const library = Object.keys(graph.deps).filter((f) => f === 'index.js' || f === 'index.mjs' || (f.startsWith('lib/') && !f.startsWith('lib/cli/')))
  for (const file of library) {
    expect([file, [...reach(file)].filter((f) => f.startsWith('lib/cli/') || f.startsWith('bin/'))]).toEqual([file, []])
  }
  expect(fs.readdirSync(path.join(ROOT, 'lib')).filter((f) => /check|cli|args|usage/.test(f) && f !== 'cli')).toEqual([])
})

test('leaves: the diagnostics do not reach the request path, the compiler not the browser judge', () => {
  const requestPath = ['index.js', 'lib/middleware.js', 'lib/decide.js', 'lib/policy.js', 'lib/compiled.js', 'lib/cache.js', 'lib/callbacks.js']
  for (const leaf of ['lib/debug.js', 'lib/verdict.js', 'lib/explain.js']) {
    expect([leaf, [...reach(leaf)].filter((f) => requestPath.includes(f))]).toEqual([leaf, []])
  }
  expect(reach('lib/policy.js').has('lib/verdict.js')).toBe(false)
})

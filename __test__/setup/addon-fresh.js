'use strict'

// Jest globalSetup: refuse to test a stale addon. The repository's build,
// rust-cors.<platform>.node at the root (which lib/native.js loads first in a checkout), must
// exist and be newer than every file it is built from (src/, Cargo.toml, Cargo.lock, build.rs);
// otherwise jest stops before any test with the file that changed and the command to rebuild.

const fs = require('fs')
const path = require('path')

const root = path.join(__dirname, '..', '..')
const SOURCES = ['src', 'Cargo.toml', 'Cargo.lock', 'build.rs']
const REBUILD = 'rebuild it with `npm run build:debug` (fast) or `npm run build` (release)'

function newestSource (dir = root, names = SOURCES) {
  let newest = null
  for (const name of names) {
    const file = path.join(dir, name)
    let stat
    try { stat = fs.statSync(file) } catch { continue }
    const found = stat.isDirectory() ? newestSource(file, fs.readdirSync(file)) : { file, mtimeMs: stat.mtimeMs }
    if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found
  }
  return newest
}

function staleness () {
  const builds = fs.readdirSync(root).filter((name) => /^rust-cors\..+\.node$/.test(name))
    .map((name) => ({ file: path.join(root, name), mtimeMs: fs.statSync(path.join(root, name)).mtimeMs }))
  if (builds.length === 0) return `no addon is built in ${root} (rust-cors.<platform>.node): ${REBUILD}; it needs cargo and rustc`
  const source = newestSource()
  const stale = builds.filter((build) => source && build.mtimeMs < source.mtimeMs)
  if (stale.length === 0) return null
  const when = (ms) => new Date(ms).toISOString()
  return stale.map((build) => `${path.basename(build.file)} (built ${when(build.mtimeMs)}) is older than ` +
    `${path.relative(root, source.file)} (changed ${when(source.mtimeMs)})`).join('; ') + `: ${REBUILD}`
}

module.exports = async function addonFresh () {
  const problem = staleness()
  if (problem) throw new Error(`rust-cors tests: ${problem}.`)
}
module.exports.staleness = staleness

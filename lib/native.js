'use strict'

// Finds the compiled addon, in this order:
// 1. the prebuilt one, from the package for this platform (`rust-cors-linux-x64-gnu`,
//    `rust-cors-darwin-arm64`, ...) that npm installs through the main package's
//    optionalDependencies (written into the published package.json by `npm run pack`);
// 2. a build from source at the package root, `rust-cors.<platform>.node`, which
//    `npm run build` writes (a repository checkout builds it on `npm install`);
// 3. otherwise an error, code RUST_CORS_NATIVE_MISSING, that names the platform and
//    says how to build from source.

const path = require('path')

const NAME = 'rust-cors' // the npm package name, and napi.binaryName
const root = path.join(__dirname, '..')

// napi-rs platform names: linux-x64-gnu, linux-arm64-musl, darwin-arm64, win32-x64-msvc...
function platformName () {
  const { platform, arch } = process
  if (platform === 'linux') return `linux-${arch}-${isMusl() ? 'musl' : 'gnu'}`
  if (platform === 'win32') return `win32-${arch}-msvc`
  return `${platform}-${arch}`
}

// glibc reports its runtime version in the process report header; musl has none.
function isMusl () {
  const header = process.report ? process.report.getReport().header : null
  return !(header && header.glibcVersionRuntime)
}

function load () {
  const platform = platformName()
  const prebuiltPackage = `${NAME}-${platform}`
  const candidates = [prebuiltPackage, path.join(root, `${NAME}.${platform}.node`)]
  const failures = []
  for (const candidate of candidates) {
    let file
    try {
      file = require.resolve(candidate)
    } catch {
      continue // not installed / not built: try the next one
    }
    try {
      return require(file)
    } catch (err) {
      failures.push({ file, err })
    }
  }
  throw missing(platform, prebuiltPackage, failures)
}

function missing (platform, prebuiltPackage, failures) {
  // The published package.json lists the platform packages; a checkout's lists none.
  let optional = {}
  try {
    optional = require('../package.json').optionalDependencies || {}
  } catch {}
  const prebuilt = Object.keys(optional)
  let why
  if (prebuilt.includes(prebuiltPackage)) {
    why = `Its prebuilt binary comes in the optional package ${prebuiltPackage}@${optional[prebuiltPackage]}, ` +
      'which is not installed (optional dependencies omitted, or a lockfile made on another platform): ' +
      'reinstall with optional dependencies, or build from source.'
  } else if (prebuilt.length > 0) {
    why = `There is no prebuilt binary for ${platform} (prebuilt: ${prebuilt.map((name) => name.slice(NAME.length + 1)).join(', ')}).`
  } else {
    why = `There is no prebuilt binary for ${platform} in this copy (a source checkout lists none).`
  }
  const loadErrors = failures.map(({ file, err }) =>
    ` ${file} was found but did not load: ${String(err && err.message ? err.message : err).split('\n')[0]}`).join('')
  const error = new Error(
    `rust-cors: the native addon for ${platform} is not built (or could not be loaded). ${why} ` +
    `Build it with \`npm run build\` in ${root}; it needs the Rust toolchain (cargo, rustc).${loadErrors}`
  )
  error.code = 'RUST_CORS_NATIVE_MISSING'
  error.platform = platform
  if (failures.length > 0) error.cause = failures[0].err
  return error
}

module.exports = load()

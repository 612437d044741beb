'use strict'

// Finds the compiled addon. An installed package (its package.json lists the platform
// packages in optionalDependencies, which `npm run pack` writes) tries, in this order:
// 1. the prebuilt one, from the package for this platform (`rust-cors-linux-x64-gnu`,
//    `rust-cors-darwin-arm64`, ...) that npm installs through those optionalDependencies;
// 2. a build from source at the package root, `rust-cors.<platform>.node`, which
//    `npm run build` inside node_modules/rust-cors writes;
// 3. otherwise an error, code RUST_CORS_NATIVE_MISSING, that names the missing platform
//    package, how to add it (registry name or the tarball of `npm run pack`), and how to
//    build from source.
// A repository checkout (no optionalDependencies) tries its own build first: a platform
// package that happens to be installed there must not stand in for the code under test.

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

function optionalDependencies () {
  try {
    return require('../package.json').optionalDependencies || {}
  } catch {
    return {}
  }
}

function load () {
  const platform = platformName()
  const prebuiltPackage = `${NAME}-${platform}`
  const localBuild = path.join(root, `${NAME}.${platform}.node`)
  const installed = Object.keys(optionalDependencies()).length > 0
  const candidates = installed ? [prebuiltPackage, localBuild] : [localBuild, prebuiltPackage]
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
  const optional = optionalDependencies()
  const prebuilt = Object.keys(optional)
  let why
  if (prebuilt.includes(prebuiltPackage)) {
    const version = optional[prebuiltPackage]
    why = `Its prebuilt binary comes in the optional package ${prebuiltPackage}@${version}, ` +
      'which is not installed (only the main tarball was installed, optional dependencies were omitted, ' +
      'or the lockfile was made on another platform). Add it: from the tarballs of `npm run pack`, ' +
      `install ${prebuiltPackage}-${version}.tgz together with ${NAME}-${version}.tgz ` +
      `(npm install ./dist/${NAME}-${version}.tgz ./dist/${prebuiltPackage}-${version}.tgz); ` +
      `from the registry, npm install ${prebuiltPackage}@${version} (or reinstall ${NAME} with optional dependencies). ` +
      'Or build from source.'
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

// The two compilers are plain N-API functions made once (src/napi/raw.rs:
// cheaper to call than napi-rs's functions); they are installed under the
// names the library calls.
function install (binding) {
  binding.compilePolicy = binding.policyCompilerFunction()
  binding.compileOriginStrings = binding.originStringsFunction()
  return binding
}

module.exports = install(load())

'use strict'

// `npm run pack`: the installable tarballs, into one folder (default `dist/`):
//   rust-cors-<version>.tgz                 the JavaScript, the types, the Rust sources
//   rust-cors-<platform>-<version>.tgz      one per platform with a binary: the prebuilt .node
// the same packages a release publishes (napi-rs's convention: the main package lists the
// platform packages in optionalDependencies, pinned to its own version, and npm installs
// the one whose os/cpu/libc match).
//
// A platform package gets the binary built here (`npm run build` writes
// `rust-cors.<platform>.node` at the root), or, for the other platforms, the one a release
// job put in `npm/<platform>/` (`napi artifacts`). Platforms with neither are left out, and
// left out of optionalDependencies too: listing a package that is not published breaks a
// consumer's `npm ci`. `--all` (for a release) fails instead.
//
// The main package's package.json is the repository's, with what a user does not need
// taken out: the `prepare` script (it builds from source in a checkout; npm warns about
// any install-time script of a dependency) and the scripts for files not shipped.
//
// Options: --no-build (pack the binary already built), --all, --out <dir>.

const { spawnSync } = require('child_process')
const fs = require('fs')
const os = require('os')
const path = require('path')

const root = path.join(__dirname, '..')
const args = process.argv.slice(2)
const outIndex = args.indexOf('--out')
const outDir = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(root, 'dist'))
const build = !args.includes('--no-build')
const requireAll = args.includes('--all')

// What a user's package needs and must not have.
const LIFECYCLE_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish', 'preprepare', 'postprepare']
const NOT_SHIPPED = /(^|\/)(target|__test__|benchmark|fuzz|scripts|examples|node_modules|dist)\/|\.node$|\.tgz$/

function fail (message) {
  console.error(`pack: ${message}`)
  process.exit(1)
}

function npm (cwd, npmArgs) {
  const r = spawnSync('npm', npmArgs, { cwd, encoding: 'utf8', shell: process.platform === 'win32' })
  if (r.error || r.status !== 0) fail(`npm ${npmArgs.join(' ')} failed:\n${r.error ? r.error.message : r.stderr}`)
  return r.stdout
}

// `npm pack --json` prints one JSON array (possibly after lifecycle noise on stdout).
function packJson (stdout) {
  return JSON.parse(stdout.slice(stdout.indexOf('[')))
}

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))

if (build) {
  console.log('> npm run build')
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  if (r.error || r.status !== 0) fail('npm run build failed (it needs the Rust toolchain: cargo, rustc)')
}

const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-cors-pack-'))
fs.rmSync(outDir, { recursive: true, force: true })
fs.mkdirSync(outDir, { recursive: true })

try {
  // 1. One package per platform in npm/ (made by `napi create-npm-dirs` from napi.targets).
  const npmDir = path.join(root, 'npm')
  const platforms = fs.readdirSync(npmDir).filter((dir) => fs.existsSync(path.join(npmDir, dir, 'package.json'))).sort()
  if (platforms.length !== pkg.napi.targets.length) {
    fail(`npm/ has ${platforms.length} platform folders for ${pkg.napi.targets.length} napi.targets: run \`npx napi create-npm-dirs\``)
  }
  const packed = {}
  const skipped = []
  for (const platform of platforms) {
    const manifest = JSON.parse(fs.readFileSync(path.join(npmDir, platform, 'package.json'), 'utf8'))
    const binary = manifest.main
    if (manifest.files.length !== 1 || manifest.files[0] !== binary || !binary.endsWith('.node')) {
      fail(`npm/${platform}/package.json must ship exactly its .node (main and files)`)
    }
    const source = [path.join(root, binary), path.join(npmDir, platform, binary)].find((file) => fs.existsSync(file))
    if (!source) {
      skipped.push(platform)
      continue
    }
    const dir = path.join(stage, platform)
    fs.mkdirSync(dir)
    manifest.version = pkg.version // pinned together, as `napi pre-publish` does
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n')
    fs.copyFileSync(path.join(npmDir, platform, 'README.md'), path.join(dir, 'README.md'))
    fs.copyFileSync(source, path.join(dir, binary))
    const [result] = packJson(npm(dir, ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir]))
    const nodeFiles = result.files.filter((file) => file.path.endsWith('.node'))
    if (nodeFiles.length !== 1) fail(`${manifest.name} holds ${nodeFiles.length} .node files`)
    packed[manifest.name] = { file: result.filename, from: path.relative(root, source), size: result.size }
  }
  if (Object.keys(packed).length === 0) {
    fail('no native binary to pack: build it with `npm run build` (needs cargo), or drop --no-build')
  }
  if (requireAll && skipped.length > 0) fail(`--all: no binary for ${skipped.join(', ')} (put them in npm/<platform>/ with \`napi artifacts\`)`)

  // 2. The main package: the files `npm pack` would take from the repository, with the
  //    published package.json.
  const [listing] = packJson(npm(root, ['pack', '--dry-run', '--json', '--ignore-scripts']))
  const main = path.join(stage, 'main')
  for (const { path: file } of listing.files) {
    if (NOT_SHIPPED.test(file)) fail(`the main package would ship ${file}: fix "files" in package.json`)
    if (file === 'package.json') continue
    fs.mkdirSync(path.dirname(path.join(main, file)), { recursive: true })
    fs.copyFileSync(path.join(root, file), path.join(main, file))
  }
  const published = { ...pkg }
  const cli = pkg.devDependencies['@napi-rs/cli']
  published.scripts = {
    // From source, inside node_modules/rust-cors, on a platform without a prebuilt binary.
    build: `npx --yes -p @napi-rs/cli@${cli} napi build --platform --release --no-js --dts binding.d.ts`
  }
  for (const script of LIFECYCLE_SCRIPTS) delete published.scripts[script]
  delete published.overrides // these two apply to this repository's own install only
  delete published.devEngines
  published.optionalDependencies = Object.fromEntries(Object.keys(packed).map((name) => [name, pkg.version]))
  fs.writeFileSync(path.join(main, 'package.json'), JSON.stringify(published, null, 2) + '\n')
  const [mainResult] = packJson(npm(main, ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir]))

  console.log(`\n${outDir}:`)
  console.log(`  ${mainResult.filename}  ${(mainResult.size / 1024).toFixed(0)} kB, ${mainResult.entryCount} files`)
  for (const { file, from, size } of Object.values(packed)) {
    console.log(`  ${file}  ${(size / 1024).toFixed(0)} kB  (binary: ${from})`)
  }
  if (skipped.length > 0) console.log(`  no binary here for: ${skipped.join(', ')} (build them on those platforms, see README)`)
  const tarballs = [mainResult.filename, ...Object.values(packed).map(({ file }) => file)]
  console.log(`\ninstall with: npm install ${tarballs.map((file) => path.join(outDir, file)).join(' ')}`)
} finally {
  fs.rmSync(stage, { recursive: true, force: true })
}

'use strict'

// `npm run fuzz`: the long fuzz campaigns.
//
//   1. The coverage-guided cargo-fuzz targets in fuzz/ (js_regex, pattern,
//      policy, headers), each for FUZZ_RUNS inputs (default 1,000,000,
//      libFuzzer -runs), with the seeds in fuzz/seeds/<target> and the
//      growing corpus in fuzz/corpus/<target> (not committed).
//   2. The scaling test (fuzz/tests/scaling.rs): no hostile input takes time
//      superlinear in its length.
//   3. The JS property test __test__/js-regex.test.js (the Rust translation of
//      a RegExp against RegExp.prototype.test) with RUST_CORS_FUZZ_RUNS pairs.
//
// Prints the number of inputs each one ran and its failures; exits 1 if any
// failed. A crashing input is saved by libFuzzer under fuzz/artifacts/<target>/;
// replay it with `RUSTC_BOOTSTRAP=1 cargo fuzz run -O -s none <target> <file>`.
//
// Needs cargo-fuzz (`cargo install cargo-fuzz`). It uses nightly-only rustc
// flags; on a stable toolchain RUSTC_BOOTSTRAP=1 allows them (set here).
//
// Environment:
//   FUZZ_RUNS=n          inputs per cargo-fuzz target (default 1000000)
//   FUZZ_JS_RUNS=n       pairs for the JS property test (default FUZZ_RUNS)
//   FUZZ_TARGETS=a,b     only these targets (names above, plus `scaling`, `js`)
//   FUZZ_JOBS=n          campaigns run at once (default 2)
//   FUZZ_SANITIZER=s     cargo fuzz -s (default `none`: the fuzzed code is safe
//                        Rust, where AddressSanitizer only slows the search)

const { spawn, spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')

const root = path.join(__dirname, '..')
const fuzzDir = path.join(root, 'fuzz')
const RUNS = intEnv('FUZZ_RUNS', 1_000_000)
const JS_RUNS = intEnv('FUZZ_JS_RUNS', RUNS)
const JOBS = intEnv('FUZZ_JOBS', 2)
const SANITIZER = process.env.FUZZ_SANITIZER || 'none'
const ONLY = process.env.FUZZ_TARGETS ? process.env.FUZZ_TARGETS.split(',').map((s) => s.trim()) : null

// Longest input per target: RegExp sources and policies beyond ~1 KB only
// make each run slower (the length limits are covered by the scaling test).
const TARGETS = [
  { name: 'js_regex', maxLen: 1024 },
  { name: 'policy', maxLen: 4096 },
  { name: 'pattern', maxLen: 2048 },
  { name: 'headers', maxLen: 65536 }
]

const env = Object.assign({}, process.env, { RUSTC_BOOTSTRAP: '1' })
const logDir = path.join(fuzzDir, 'target', 'logs')

function intEnv (name, dflt) {
  const v = Number.parseInt(process.env[name] || '', 10)
  return Number.isFinite(v) && v > 0 ? v : dflt
}

function wanted (name) {
  return ONLY === null || ONLY.includes(name)
}

function fmt (n) {
  return n === null || n === undefined ? '-' : n.toLocaleString('en-US')
}

function sync (cmd, args, opts) {
  console.log(`> ${cmd} ${args.join(' ')}`)
  return spawnSync(cmd, args, Object.assign({ stdio: 'inherit', env, cwd: root }, opts))
}

// Run a command with its output in a log file; resolves to {code, ms, log}.
function run (label, cmd, args, opts) {
  fs.mkdirSync(logDir, { recursive: true })
  const log = path.join(logDir, label + '.log')
  const out = fs.openSync(log, 'w')
  const t0 = Date.now()
  console.log(`[${label}] started (log: ${path.relative(root, log)})`)
  return new Promise((resolve) => {
    const child = spawn(cmd, args, Object.assign({ stdio: ['ignore', out, out], env, cwd: root }, opts))
    child.on('error', (err) => {
      fs.closeSync(out)
      resolve({ code: -1, ms: Date.now() - t0, log, error: err.message })
    })
    child.on('close', (code, signal) => {
      fs.closeSync(out)
      resolve({ code: code === null ? signal : code, ms: Date.now() - t0, log })
    })
  })
}

function binaryDir () {
  const triple = spawnSync('rustc', ['-vV'], { encoding: 'utf8' }).stdout.match(/^host: (.+)$/m)[1]
  return path.join(fuzzDir, 'target', triple, 'release')
}

async function fuzzTarget (t, bin) {
  const corpus = path.join(fuzzDir, 'corpus', t.name)
  const seeds = path.join(fuzzDir, 'seeds', t.name)
  const artifacts = path.join(fuzzDir, 'artifacts', t.name) + path.sep
  fs.mkdirSync(corpus, { recursive: true })
  fs.mkdirSync(artifacts, { recursive: true })
  const args = [
    corpus, seeds,
    `-runs=${RUNS}`, `-max_len=${t.maxLen}`, '-timeout=10', '-rss_limit_mb=2048',
    `-artifact_prefix=${artifacts}`, '-print_final_stats=1'
  ]
  const r = await run(t.name, path.join(bin, t.name), args)
  const text = fs.readFileSync(r.log, 'utf8')
  const done = text.match(/Done (\d+) runs in (\d+) second/)
  const stat = text.match(/stat::number_of_executed_units:\s*(\d+)/)
  const crash = text.match(/Test unit written to (.+)/)
  const failures = []
  if (crash) failures.push(`crash input ${path.relative(root, crash[1].trim())}`)
  const panic = text.match(/panicked at [^\n]*\n[^\n]*/)
  if (panic) failures.push(panic[0].replace(/\n/g, ' '))
  if (r.code !== 0 && failures.length === 0) failures.push(`exit ${r.code}${r.error ? ' ' + r.error : ''}`)
  return {
    name: t.name,
    inputs: done ? Number(done[1]) : stat ? Number(stat[1]) : null,
    seconds: Math.round(r.ms / 1000),
    failures
  }
}

async function scaling () {
  const r = await run('scaling', 'cargo', ['test', '--release', '--test', 'scaling', '--', '--nocapture', '--test-threads=1'], { cwd: fuzzDir })
  const text = fs.readFileSync(r.log, 'utf8')
  const cases = (text.match(/ratio\s+[\d.]+/g) || []).length
  const failures = (text.match(/panicked at [^\n]*\n[^\n]*/g) || []).map((s) => s.replace(/\n/g, ' '))
  if (r.code !== 0 && failures.length === 0) failures.push(`exit ${r.code}`)
  const worst = Math.max(0, ...(text.match(/ratio\s+([\d.]+)(?! \(retry)/g) || []).map((s) => Number(s.split(/\s+/)[1])))
  return { name: 'scaling (superlinear time)', inputs: cases, unit: `size pairs, worst ratio ${worst} for x8 input (bound 32)`, seconds: Math.round(r.ms / 1000), failures }
}

async function jsProperty () {
  const jestBin = require.resolve('jest/bin/jest')
  const r = await run('js-regex', process.execPath, [jestBin, '__test__/js-regex.test.js', '--silent=false', '--testTimeout=100000000'], {
    env: Object.assign({}, env, { RUST_CORS_FUZZ_RUNS: String(JS_RUNS) })
  })
  const text = fs.readFileSync(r.log, 'utf8')
  const m = text.match(/pairs:\s*(\d+)/)
  const failures = []
  const failed = text.match(/Tests:.*?(\d+) failed/)
  if (failed) failures.push(`${failed[1]} jest test(s) failed, see the log`)
  if (r.code !== 0 && failures.length === 0) failures.push(`exit ${r.code}`)
  return { name: 'js-regex.test.js (Rust vs RegExp)', inputs: m ? Number(m[1]) : null, unit: '(RegExp, input) pairs', seconds: Math.round(r.ms / 1000), failures }
}

async function pool (tasks, n) {
  const results = new Array(tasks.length)
  let next = 0
  async function lane () {
    while (next < tasks.length) {
      const i = next++
      results[i] = await tasks[i]()
      const r = results[i]
      console.log(`[${r.name}] ${fmt(r.inputs)} ${r.unit || 'inputs'} in ${r.seconds} s: ${r.failures.length ? 'FAILED' : 'ok'}`)
    }
  }
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, lane))
  return results
}

async function main () {
  const targets = TARGETS.filter((t) => wanted(t.name))
  const tasks = []
  if (targets.length) {
    if (spawnSync('cargo', ['fuzz', '--version'], { env }).status !== 0) {
      console.error('cargo-fuzz is not installed: run `cargo install cargo-fuzz` (it builds on stable; RUSTC_BOOTSTRAP=1 is set here)')
      process.exit(1)
    }
    const b = sync('cargo', ['fuzz', 'build', '-O', '-s', SANITIZER])
    if (b.status !== 0) process.exit(1)
    const bin = binaryDir()
    for (const t of targets) tasks.push(() => fuzzTarget(t, bin))
  }
  if (wanted('scaling')) tasks.push(scaling)
  if (wanted('js')) tasks.push(jsProperty)

  console.log(`\nfuzzing: ${fmt(RUNS)} inputs per target, ${fmt(JS_RUNS)} JS pairs, ${JOBS} at a time\n`)
  const t0 = Date.now()
  const results = await pool(tasks, JOBS)

  console.log('\n== fuzz summary ==')
  let failed = 0
  for (const r of results) {
    failed += r.failures.length ? 1 : 0
    console.log(`${r.name.padEnd(36)} ${fmt(r.inputs).padStart(11)} ${(r.unit || 'inputs').padEnd(22)} ${String(r.seconds).padStart(6)} s  ${r.failures.length ? 'FAILED' : 'ok, 0 failures'}`)
    for (const f of r.failures) console.log(`    ${f}`)
  }
  console.log(`${failed ? failed + ' failed' : 'all passed'} in ${Math.round((Date.now() - t0) / 1000)} s`)
  process.exit(failed ? 1 : 0)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})

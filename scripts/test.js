'use strict'

// `npm test`: the Rust unit tests, the type check of index.d.ts, then jest.
// Extra arguments go to jest (e.g. `npm test -- __test__/core.test.js`).

const { spawnSync } = require('child_process')
const path = require('path')

const root = path.join(__dirname, '..')

function run (cmd, args) {
  console.log(`\n> ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root })
  if (r.error) {
    const hint = cmd === 'cargo' ? ' (install the Rust toolchain, or set RUST_CORS_SKIP_CARGO=1 to run the other tests without the Rust unit tests)' : ''
    console.error(`could not run ${cmd}: ${r.error.message}${hint}`)
    process.exit(1)
  }
  if (r.status !== 0) process.exit(r.status || 1)
}

const jestArgs = process.argv.slice(2)
if (process.env.RUST_CORS_SKIP_CARGO) {
  console.log('\nRUST_CORS_SKIP_CARGO is set: the Rust tests (cargo test --tests) were skipped.')
} else {
  run('cargo', ['test', '--tests', '--quiet']) // unit tests and tests/ (the seeded fuzz pass)
}
run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', '__test__/types/tsconfig.json'])
run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', '__test__/types/tsconfig.fastify.json'])
run(process.execPath, [require.resolve('jest/bin/jest'), ...jestArgs])

'use strict'

// A suite that cannot run here (no Chromium, no nginx, no Python venv, no actionlint) is skipped
// with a printed reason, except under RUST_CORS_REQUIRE_ALL=1 (set by .ci/run): there the skip
// becomes a failing test that gives the same reason, so CI cannot pass with a real-server suite
// silently left out.

const REQUIRE_ALL = process.env.RUST_CORS_REQUIRE_ALL === '1'

// describe(name, fn) when `reason` is null; otherwise describe.skip after printing the reason,
// or, under RUST_CORS_REQUIRE_ALL=1, a describe whose one test fails with the reason.
function describeUnless (reason, name, fn) {
  if (!reason) return describe(name, fn)
  if (REQUIRE_ALL) {
    return describe(name, () => {
      test('can run here (RUST_CORS_REQUIRE_ALL=1 makes a skip a failure)', () => {
        throw new Error(`"${name}" cannot run: ${reason}`)
      })
    })
  }
  process.stderr.write(`SKIPPED "${name}": ${reason}\n`)
  return describe.skip(name, fn)
}

module.exports = { REQUIRE_ALL, describeUnless }

'use strict'

// Jest setup (package.json "jest".setupFilesAfterEnv): the RustCorsWarnings that test
// fixtures trigger on purpose (risky and wrong-typed options) are collected per test file instead
// of being printed by Node (they were about 2,700 of `npm test`'s lines). A test that cares reads
// them from `globalThis.rustCorsWarnings` (or spies on process.emitWarning, which still sees every
// call); after each file, every collected warning must have the shape lib/warnings.js promises:
// a code in capitals and a message. Other warnings (deprecations, experimental features) are
// printed by Node as usual.

const warnings = []
globalThis.rustCorsWarnings = warnings

const emitWarning = process.emitWarning
process.emitWarning = function (warning, options, ...rest) {
  const type = typeof options === 'string' ? options : options && options.type
  if (type === 'RustCorsWarning') {
    warnings.push({ code: options.code, message: String(warning && warning.message ? warning.message : warning) })
    return
  }
  return emitWarning.call(this, warning, options, ...rest)
}

afterAll(() => {
  const malformed = warnings.filter(({ code, message }) => typeof code !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(code) || !message)
  expect(malformed).toEqual([])
})

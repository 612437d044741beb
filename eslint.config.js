'use strict'

// ESLint 9 flat config: neostandard (the standard style as a flat config, as
// @fastify/cors uses) over every JavaScript file that ships or tests.
// `npm run lint` runs it; `.ci/run` runs that after `npm test`.
const neostandard = require('neostandard')

module.exports = [
  ...neostandard({
    ignores: [
      'node_modules/**',
      'target/**',
      'fuzz/**', // Rust fuzz targets; cargo-fuzz output lands in fuzz/target
      'dist/**', // npm run pack's tarballs
      'npm/**', // the platform packages: package.json and README only
      'binding.js',
      '**/.mut-*/**', // mutation-testing scratch copies
      '**/upstream-*/**' // upstream test files exported at test time
    ]
  }),
  {
    // Node 20 (engines) parses ES2024, the RegExp `v` flag included
    languageOptions: { ecmaVersion: 2024 }
  },
  {
    files: ['__test__/**/*.js'],
    // jest's globals (the tests use them without requiring @jest/globals)
    languageOptions: {
      globals: Object.fromEntries(['describe', 'test', 'it', 'expect', 'jest', 'beforeAll', 'afterAll', 'beforeEach', 'afterEach']
        .map((name) => [name, 'readonly']))
    }
  }
]

'use strict'

// Jest setup (package.json "jest".setupFilesAfterEnv): a test's console.log/info/warn prints its
// line as is, without jest's four-line frame (the "console.log" header, the blank line and the
// source location) around each: the figures tests report (cases compared, timings) stay, at one
// line each, so `npm test` stays short enough to read.

const util = require('util')

for (const [name, stream] of [['log', process.stdout], ['info', process.stdout], ['warn', process.stderr]]) {
  console[name] = (...args) => { stream.write(util.format(...args) + '\n') }
}

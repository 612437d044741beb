'use strict'

// The callback protocol of origin functions and options delegates, as cors
// calls them, plus Promises: `fn(arg, cb)` calling back once, or returning a
// Promise (or thenable). A second call back is ignored with a warning; a
// rejection, or a `then` that throws, becomes `done(err)`.

const { warnOnce } = require('./warnings')

// The `then` method of a callback's return value, or null when it is not a
// thenable. Reading `then` runs user code (a getter), which may throw.
function thenOf (value) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return null
  const then = value.then
  return typeof then === 'function' ? then : null
}

function warnCalledTwice (what) {
  warnOnce('RUST_CORS_CALLBACK_TWICE',
    `rust-cors: the ${what} called back more than once for one request; the extra calls are ignored. Call the callback exactly once`)
}

// Call `fn(arg, cb)`; `done(err, value)` runs once. A function that takes
// the callback (fn.length >= 2) and whose Promise resolves to undefined is
// waited for on the callback.
function callUserFunction (fn, arg, what, done) {
  let called = false
  const callback = function (err, value) {
    if (called) return warnCalledTwice(what)
    called = true
    done(err, value)
  }
  const returned = fn(arg, callback)
  // cors ignores the return value; most callbacks return undefined.
  if (returned === undefined || returned === null || (typeof returned !== 'object' && typeof returned !== 'function')) return
  // A hostile thenable must not throw out of the middleware: it counts as a
  // rejection. What the rest of the chain throws from inside a synchronous
  // `then` still propagates.
  let downstream = null
  const settle = function (err, value) {
    called = true
    try {
      done(err, value)
    } catch (e) {
      downstream = { error: e }
      throw e
    }
  }
  const onRejected = function (err) {
    if (called) return
    settle(err || new Error(`rust-cors: the ${what} rejected with ${String(err)}`))
  }
  let then
  try {
    then = thenOf(returned)
  } catch (err) {
    return onRejected(err)
  }
  if (then === null) return
  const takesCallback = fn.length >= 2
  try {
    then.call(returned, function (value) {
      if (called || (takesCallback && value === undefined)) return
      settle(null, value)
    }, onRejected)
  } catch (err) {
    if (downstream !== null && downstream.error === err) throw err
    onRejected(err)
  }
}

module.exports = { callUserFunction, warnCalledTwice }

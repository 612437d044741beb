'use strict'

// The callback protocol of origin functions and options delegates, as cors
// calls them, plus Promises. What answers is decided by what the function
// does, never by how many parameters it declares (`fn.length` says nothing
// about `(req, cb = noop)`, rest parameters or `function () { return
// f.apply(this, arguments) }`):
// - the callback answers whenever it comes first, as in cors (which ignores
//   the return value and waits for the callback);
// - a returned thenable answers only when it settles to a value other than
//   undefined (or rejects) and the callback has still not come one turn of
//   the event loop later (setImmediate): a callback queued with a microtask,
//   process.nextTick or setImmediate before the thenable settled still wins;
// - a thenable that resolves to undefined is no answer: the callback is
//   waited for, as cors waits.
// A call back after the answer is ignored with a warning; a rejection, or a
// `then` that throws, becomes `done(err)`.

const { warnOnce } = require('./warnings')

// The `then` method of a callback's return value, or null when it is not a
// thenable. Reading `then` runs user code (a getter), which may throw.
function thenOf (value) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return null
  const then = value.then
  return typeof then === 'function' ? then : null
}

function warnCalledTwice (what, byPromise) {
  if (byPromise) {
    warnOnce('RUST_CORS_CALLBACK_TWICE',
      `rust-cors: the ${what} called back after its returned Promise had answered the request; the callback is ignored. Either call back or return a Promise, not both`)
  } else {
    warnOnce('RUST_CORS_CALLBACK_TWICE',
      `rust-cors: the ${what} called back more than once for one request; the extra calls are ignored. Call the callback exactly once`)
  }
}

function warnResolvedUndefined (what) {
  warnOnce('RUST_CORS_PROMISE_UNDEFINED',
    `rust-cors: the ${what} returned a Promise that resolved to undefined without calling back; as cors does, rust-cors waits for the callback, and the request does not end until it comes. ` +
    (what === 'origin callback'
      ? 'An async origin function must resolve to a value: false to refuse, true or an origin to allow'
      : 'An async options delegate must resolve to the options object'))
}

// For the warning's wording only (the answer never depends on it): a
// function that declares no callback parameter is probably Promise-style.
function declaresNoCallback (fn) {
  try {
    return fn.length < 2
  } catch {
    return false
  }
}

// Call `fn(arg, cb)`; `done(err, value)` runs once.
function callUserFunction (fn, arg, what, done) {
  let answered = false
  let byPromise = false
  const callback = function (err, value) {
    if (answered) return warnCalledTwice(what, byPromise)
    answered = true
    done(err, value)
  }
  const returned = fn(arg, callback)
  // cors ignores the return value; most callbacks return undefined.
  if (returned === undefined || returned === null || (typeof returned !== 'object' && typeof returned !== 'function')) return
  // The thenable's answer, taken one turn later unless the callback came.
  // A hostile thenable must not throw out of the middleware: a throwing
  // `then` counts as a rejection.
  let settled = false
  const answerLater = function (err, value) {
    if (settled) return
    settled = true
    if (answered) return
    setImmediate(function () {
      if (answered) return
      answered = true
      byPromise = true
      done(err, value)
    })
  }
  const onRejected = function (err) {
    answerLater(err || new Error(`rust-cors: the ${what} rejected with ${String(err)}`))
  }
  const onFulfilled = function (value) {
    if (value !== undefined) return answerLater(null, value)
    if (settled) return
    settled = true
    if (!answered && declaresNoCallback(fn)) warnResolvedUndefined(what)
  }
  let then
  try {
    then = thenOf(returned)
  } catch (err) {
    return onRejected(err)
  }
  if (then === null) return
  try {
    then.call(returned, onFulfilled, onRejected)
  } catch (err) {
    onRejected(err)
  }
}

module.exports = { callUserFunction, warnCalledTwice }

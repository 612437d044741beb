'use strict'

// require('rust-cors/fastify').explain(options, request): rust-cors's
// explain() (lib/explain.js) for @fastify/cors options. The plugin is
// registered on a stand-in instance that keeps its hook; each step runs that
// hook with a request and a reply over explain's in-memory response, as
// Fastify would run it (an origin function's `this` is the stand-in). Its
// policies are compiled apart, on copies, with their findings collected.

const { explain: explainWith } = require('./explain')

// A reply with Fastify's semantics over explain's recorder.
function replyOver (res) {
  const reply = {
    header (name, value = '') { res.setHeader(name, value); return reply },
    getHeader (name) { return res.getHeader(name) },
    code (status) {
      const code = Number(status)
      if (!(code >= 100 && code <= 599)) throw new Error(`Called reply with an invalid status code: ${status}`)
      res.statusCode = code
      return reply
    },
    status (status) { return reply.code(status) },
    type (type) { return reply.header('content-type', type) },
    send () { res.end(); return reply }
  }
  return reply
}

function explain (register, options, request) {
  const create = function (pluginOptions, sink) {
    let hook = null
    let failure = null
    const instance = {
      decorateRequest () {},
      addHook (name, fn) { hook = fn },
      options () {}
    }
    register(instance, pluginOptions === undefined ? {} : pluginOptions, (err) => { if (err) failure = err }, sink)
    if (failure !== null) throw failure
    return function middleware (req, res, next) {
      const fastifyRequest = { headers: req.headers, raw: { method: req.method }, method: req.method, routeOptions: { config: {} }, corsPreflightEnabled: false }
      const reply = replyOver(res)
      if (hook.length === 4) hook(fastifyRequest, reply, undefined, next)
      else hook(fastifyRequest, reply, next)
    }
  }
  return explainWith(create, options, request)
}

module.exports = { explain }

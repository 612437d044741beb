'use strict'

// rust-cors/hono: a drop-in for hono/cors (hono 4), a MiddlewareHandler for
// app.use(). The options are translated into the one policy input
// (lib/hono-options.js) and compiled through Rust once (lib/policy.js,
// shared cache and warnings); this file is the Hono glue: read the request
// with c.req.header, write the precomputed strings on c.res.headers as
// hono/cors does, answer OPTIONS with a 204 Response or await next() and
// add Vary afterwards.

const { readOptions } = require('./options')
const { policyFor } = require('./policy')
const { allowOriginFor, allowHeadersFor } = require('./decide')
const { fromHono, reflectedHeaders } = require('./hono-options')

function compile (options) {
  const hono = fromHono(options)
  const policy = policyFor(hono.policyOptions, readOptions(hono.policyOptions), false, null)
  return { hono, policy }
}

function cors (options) {
  const { hono, policy } = compile(options)
  const { originFunction, methodsFunction, varyOrigin } = hono
  const originRule = policy.origin

  async function preflight (c, requestOrigin) {
    const headers = c.res.headers
    if (varyOrigin) headers.append('Vary', 'Origin')
    if (policy.maxAge !== undefined) headers.set('Access-Control-Max-Age', policy.maxAge)
    const allowMethods = methodsFunction === null ? policy.methods : (await methodsFunction(requestOrigin, c)).join(',')
    if (allowMethods) headers.set('Access-Control-Allow-Methods', allowMethods)
    // Hono trims each requested name; the request header is read only when reflected.
    const requested = policy.reflectHeaders ? reflectedHeaders(c.req.header('Access-Control-Request-Headers')) : undefined
    const allowHeaders = allowHeadersFor(policy, requested)
    if (allowHeaders) {
      headers.set('Access-Control-Allow-Headers', allowHeaders)
      headers.append('Vary', 'Access-Control-Request-Headers')
    }
    headers.delete('Content-Length')
    headers.delete('Content-Type')
    return new Response(null, { headers, status: 204, statusText: 'No Content' })
  }

  return async function cors (c, next) {
    const requestOrigin = c.req.header('origin') || ''
    const allowOrigin = originFunction === null
      ? allowOriginFor(originRule, requestOrigin)
      : await originFunction(requestOrigin, c)
    const headers = c.res.headers
    if (allowOrigin) headers.set('Access-Control-Allow-Origin', allowOrigin)
    if (policy.credentials) headers.set('Access-Control-Allow-Credentials', 'true')
    if (policy.exposedHeaders) headers.set('Access-Control-Expose-Headers', policy.exposedHeaders)
    if (c.req.method === 'OPTIONS') return preflight(c, requestOrigin)
    await next()
    // The response may be another one now: c.header writes on the current one.
    if (varyOrigin) c.header('Vary', 'Origin', { append: true })
  }
}

cors.toNginx = function toNginx (options, settings) {
  return require('./nginx').toNginx(fromHono(options).policyOptions, settings)
}

module.exports = { cors, toNginx: cors.toNginx }

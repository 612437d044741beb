'use strict'

// rust-cors/koa: a drop-in for @koa/cors 5 (Koa 2 and Koa 3). The options
// are translated into the one policy input (lib/koa-options.js) and compiled
// through Rust once (lib/policy.js, shared cache and warnings); this file is
// the Koa glue: read the request with ctx.get, write the precomputed strings
// with ctx.set/ctx.vary in @koa/cors's order, answer a preflight with 204 or
// pass on with next(), and keep the headers on a thrown error.

const vary = require('vary')
const { readOptions } = require('./options')
const { policyFor } = require('./policy')
const { allowOriginFor, allowHeadersFor } = require('./decide')
const { fromKoa, koaOriginValue } = require('./koa-options')

const ACAO = 'Access-Control-Allow-Origin'
const ACAC = 'Access-Control-Allow-Credentials'

function compile (options) {
  const koa = fromKoa(options)
  const policy = policyFor(koa.policyOptions, readOptions(koa.policyOptions), false, null)
  return { koa, policy }
}

// A thrown error carries the headers set so far (Koa 2 and 3 clear the
// response's headers, then set err.headers), with Origin added to its Vary.
function keepHeaders (err, headersSet) {
  const errHeaders = err.headers || {}
  const varyWithOrigin = vary.append(errHeaders.vary || errHeaders.Vary || '', 'Origin')
  delete errHeaders.Vary
  err.headers = { ...errHeaders, ...headersSet, vary: varyWithOrigin }
  return err
}

function cors (options) {
  const { koa, policy } = compile(options)
  const { originFunction, credentialsFunction, keepHeadersOnError, secureContext } = koa
  const originRule = policy.origin

  // The headers of an actual request (not a preflight), as @koa/cors sets
  // them; `headersSet` records them for keepHeadersOnError.
  function setActualHeaders (ctx, origin, credentials, headersSet) {
    const set = (name, value) => {
      ctx.set(name, value)
      if (headersSet !== null) headersSet[name] = value
    }
    if (origin !== undefined) set(ACAO, origin)
    if (credentials === true) set(ACAC, 'true')
    if (policy.exposedHeaders) set('Access-Control-Expose-Headers', policy.exposedHeaders)
    if (secureContext) {
      set('Cross-Origin-Opener-Policy', 'same-origin')
      set('Cross-Origin-Embedder-Policy', 'require-corp')
    }
  }

  function preflight (ctx, origin, credentials) {
    if (origin !== undefined) ctx.set(ACAO, origin)
    if (credentials === true) ctx.set(ACAC, 'true')
    if (policy.maxAge) ctx.set('Access-Control-Max-Age', policy.maxAge)
    if (policy.allowPrivateNetwork && ctx.get('Access-Control-Request-Private-Network')) {
      ctx.set('Access-Control-Allow-Private-Network', 'true')
    }
    if (policy.methods) ctx.set('Access-Control-Allow-Methods', policy.methods)
    if (secureContext) {
      ctx.set('Cross-Origin-Opener-Policy', 'same-origin')
      ctx.set('Cross-Origin-Embedder-Policy', 'require-corp')
    }
    const allowHeaders = allowHeadersFor(policy, ctx.get('Access-Control-Request-Headers'))
    if (allowHeaders) ctx.set('Access-Control-Allow-Headers', allowHeaders)
    ctx.status = 204
  }

  return async function cors (ctx, next) {
    const requestOrigin = ctx.get('Origin')
    ctx.vary('Origin')
    let origin
    if (originFunction !== null) {
      origin = await originFunction(ctx)
      if (!origin) return await next()
    } else {
      origin = allowOriginFor(originRule, requestOrigin)
    }
    const credentials = credentialsFunction === null ? policy.credentials : await credentialsFunction(ctx)
    origin = koaOriginValue(origin, credentials, requestOrigin)
    if (ctx.method !== 'OPTIONS') {
      if (!keepHeadersOnError) {
        setActualHeaders(ctx, origin, credentials, null)
        return await next()
      }
      const headersSet = {}
      setActualHeaders(ctx, origin, credentials, headersSet)
      try {
        return await next()
      } catch (err) {
        throw keepHeaders(err, headersSet)
      }
    }
    if (!ctx.get('Access-Control-Request-Method')) return await next()
    preflight(ctx, origin, credentials)
  }
}

cors.default = cors
cors.cors = cors
cors.toNginx = function toNginx (options, settings) {
  return require('./nginx').toNginx(fromKoa(options).policyOptions, settings)
}

module.exports = cors

// Types of rust-cors/koa: everything @koa/cors 5's types (@types/koa__cors)
// accept, plus rust-cors's additions.
import Koa = require('koa')
import type { NginxConfig, NginxSettings } from './index'

declare function cors(options?: cors.Options): Koa.Middleware

declare namespace cors {
  export type OriginValue = string | false | null | undefined

  export interface Options {
    /**
     * `Access-Control-Allow-Origin`, default `'*'` (with `credentials`, the
     * request's Origin). A string is sent as is; a pattern such as
     * `'https://*.example.com'` (rust-cors) allows the origins it matches.
     * A function decides per request; a falsy answer passes the request on.
     */
    origin?: ((ctx: Koa.Context) => OriginValue) | ((ctx: Koa.Context) => PromiseLike<OriginValue>) | string | undefined
    /** `Access-Control-Allow-Methods`, default `'GET,HEAD,PUT,POST,DELETE,PATCH'`. */
    allowMethods?: string[] | string | undefined
    /** `Access-Control-Expose-Headers`. */
    exposeHeaders?: string[] | string | undefined
    /** `Access-Control-Allow-Headers`; without it, the request's `Access-Control-Request-Headers` is reflected. */
    allowHeaders?: string[] | string | undefined
    /** `Access-Control-Max-Age` in seconds. */
    maxAge?: number | string | undefined
    /** `Access-Control-Allow-Credentials`, or a function deciding per request. */
    credentials?:
      | ((ctx: Koa.Context) => boolean)
      | ((ctx: Koa.Context) => PromiseLike<boolean>)
      | boolean
      | undefined
    /** Put the headers set so far on `err.headers` when a later middleware throws. @default true */
    keepHeadersOnError?: boolean | undefined
    /** Send `Cross-Origin-Opener-Policy` and `Cross-Origin-Embedder-Policy`. @default false */
    secureContext?: boolean | undefined
    /** Answer `Access-Control-Request-Private-Network` with `Access-Control-Allow-Private-Network: true`. @default false */
    privateNetworkAccess?: boolean | undefined
    /** rust-cors: throw at startup on any misconfiguration it would otherwise warn about. @default false */
    strict?: boolean | undefined
  }

  /** The same policy as nginx configuration (rust-cors). */
  export function toNginx(options: Options | undefined, settings?: NginxSettings): NginxConfig

  export { cors, cors as default }
}

export = cors

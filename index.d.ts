/// <reference types="node" />

import { IncomingHttpHeaders } from 'http'

/** One allowed origin, or an allow-list of them (arrays may nest). */
type StaticOrigin = boolean | string | RegExp | Array<boolean | string | RegExp | StaticOrigin>

/**
 * Decides the origin per request. Call back `(null, value)` with any static
 * origin form (`false` refuses), or return a Promise of that value.
 */
type CustomOrigin = (
  requestOrigin: string | undefined,
  callback: (err: Error | null, origin?: StaticOrigin) => void,
) => void | Promise<StaticOrigin | undefined>

declare namespace rustCors {
  export interface CorsRequest {
    method?: string | undefined
    headers: IncomingHttpHeaders
  }

  export interface CorsOptions {
    /**
     * Which origins may read responses.
     * - `'*'` (default): any origin, `Access-Control-Allow-Origin: *`.
     * - a string: sent as is (with `Vary: Origin`). A string with `*` in it,
     *   such as `'https://*.example.com'` or `'http://localhost:*'`, is a
     *   pattern: the request origin is reflected when it matches.
     * - `true`: reflect the request origin.
     * - a RegExp or a (nested) array of strings, patterns and RegExps.
     * - a function `(origin, cb)`, or an async function, deciding per request.
     * - a falsy value: no CORS at all (requests pass through untouched).
     * @default '*'
     */
    origin?: StaticOrigin | CustomOrigin | undefined
    /**
     * Access-Control-Allow-Methods, on preflights.
     * @default 'GET,HEAD,PUT,PATCH,POST,DELETE'
     */
    methods?: string | string[] | undefined
    /**
     * Access-Control-Allow-Headers, on preflights. When unset, the request's
     * Access-Control-Request-Headers is reflected (with a Vary).
     */
    allowedHeaders?: string | string[] | undefined
    /** Alias of `allowedHeaders` (used when `allowedHeaders` is falsy). */
    headers?: string | string[] | undefined
    /** Access-Control-Expose-Headers, on every response. */
    exposedHeaders?: string | string[] | undefined
    /** Send `Access-Control-Allow-Credentials: true` (only for the boolean `true`). */
    credentials?: boolean | undefined
    /** Access-Control-Max-Age in seconds, on preflights. */
    maxAge?: number | undefined
    /**
     * Pass preflights on to the next handler instead of ending them.
     * @default false
     */
    preflightContinue?: boolean | undefined
    /**
     * Status of an answered preflight.
     * @default 204
     */
    optionsSuccessStatus?: number | undefined
    /**
     * rust-cors: throw a TypeError (with the diagnostic's `code`) for each
     * misconfiguration instead of emitting a `RustCorsWarning`.
     * @default false
     */
    strict?: boolean | undefined
    /**
     * rust-cors: answer an OPTIONS request that lacks `Origin` or
     * `Access-Control-Request-Method` with 400 instead of treating it as a preflight.
     * @default false
     */
    strictPreflight?: boolean | undefined
    /**
     * rust-cors: answer `Access-Control-Request-Private-Network: true` with
     * `Access-Control-Allow-Private-Network: true` (Chrome's legacy Private
     * Network Access preflights).
     * @default false
     */
    allowPrivateNetwork?: boolean | undefined
    /**
     * rust-cors: `Cache-Control` on answered preflights: a number N gives
     * `max-age=N`, a string is sent as is.
     */
    cacheControl?: number | string | undefined
  }

  export type CorsOptionsDelegate<T extends CorsRequest = CorsRequest> = (
    req: T,
    callback: (err: Error | null, options?: CorsOptions) => void,
  ) => void | Promise<CorsOptions | undefined>

  export interface ExplainRequest {
    /**
     * The method the page's script uses, e.g. 'PUT' (a browser preflights it
     * when needed), or 'OPTIONS' with Access-Control-Request-Method to judge
     * a preflight as a server receives it.
     * @default 'GET'
     */
    method?: string
    /** The request's headers: `origin`, and the headers the script sets. */
    headers?: Record<string, string | string[] | undefined>
    /** Whether the browser sends credentials (fetch `credentials: 'include'`). */
    credentials?: boolean
  }

  export interface Reason {
    /** A stable code: a browser's (ORIGIN_NOT_ALLOWED, ...) or rust-cors's (RUST_CORS_...). */
    code: string
    /** 'error': the browser blocks the request; 'warning': it does not. */
    severity: 'error' | 'warning'
    message: string
    /** How to fix it ('' when there is nothing to add). */
    fix: string
  }

  export interface Explanation {
    /** Whether a browser sends a preflight for this request (or it is one). */
    preflight: boolean
    /** The status rust-cors answers the last step with, or null when it passes it on. */
    status: number | null
    /** The headers rust-cors sets on the last step, in order. */
    headers: Record<string, string>
    /** What a browser decides, by the Fetch Standard's CORS rules. */
    allowed: boolean
    reasons: Reason[]
  }

  /**
   * What rust-cors sends for a request and what a browser decides about it.
   * A Promise when an origin callback or options delegate answers later.
   */
  export function explain(
    options: CorsOptions | CorsOptionsDelegate | undefined,
    request: ExplainRequest,
  ): Explanation | Promise<Explanation>

  export interface NginxSettings {
    /** Start of the nginx variable names; one per policy in a configuration. @default 'cors' */
    prefix?: string
  }

  export interface NginxConfig {
    /** `map` blocks for the `http {}` context (once per policy). */
    http: string
    /** Directives for each `location {}` block, before `proxy_pass`, `return` or `root`. */
    location: string
  }

  /**
   * The policy as nginx configuration answering exactly as the middleware.
   * Throws a TypeError (code `RUST_CORS_NOT_EXPORTABLE`, `option` naming the
   * option) for what nginx cannot express: functions, delegates, RegExps
   * without an exact PCRE form, `preflightContinue`, `strictPreflight`, a
   * preflight status outside 200-299.
   */
  export function toNginx(options: CorsOptions | undefined, settings?: NginxSettings): NginxConfig

  export { rustCors, rustCors as default }
}

declare function rustCors<T extends rustCors.CorsRequest = rustCors.CorsRequest>(
  options?: rustCors.CorsOptions | rustCors.CorsOptionsDelegate<T>,
): (
  req: T,
  res: {
    statusCode?: number | undefined
    getHeader(name: string): number | string | string[] | undefined
    setHeader(key: string, value: string): any
    end(): any
  },
  next: (err?: any) => any,
) => void

export = rustCors

// Types of rust-cors/hono: everything hono/cors (hono 4) accepts, plus
// rust-cors's additions.
import type { Context, MiddlewareHandler } from 'hono'
import type { NginxConfig, NginxSettings } from './index'

export type CORSOptions = {
  /**
   * `'*'` (default), an origin, a list of origins, or a function returning
   * the `Access-Control-Allow-Origin` value for a request origin. Strings
   * may be patterns such as `'https://*.example.com'` (rust-cors).
   */
  origin?:
    | string
    | string[]
    | ((origin: string, c: Context) => Promise<string | undefined | null> | string | undefined | null)
  /** @default ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH', 'QUERY'] */
  allowMethods?: string[] | ((origin: string, c: Context) => Promise<string[]> | string[])
  /** Without it, the request's `Access-Control-Request-Headers` is reflected. */
  allowHeaders?: string[]
  maxAge?: number
  credentials?: boolean
  exposeHeaders?: string[]
  /** rust-cors: throw at startup on any misconfiguration it would otherwise warn about. @default false */
  strict?: boolean
}

export declare const cors: (options?: CORSOptions) => MiddlewareHandler

/** The same policy as nginx configuration (rust-cors). */
export declare function toNginx(options: CORSOptions | undefined, settings?: NginxSettings): NginxConfig

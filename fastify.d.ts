/// <reference types="node" />

// rust-cors/fastify: the types of @fastify/cors 11.4 (every configuration its
// own types accept), plus rust-cors's own options.

import { FastifyInstance, FastifyPluginCallback, FastifyRequest, LogLevel } from 'fastify'
import rustCors = require('./index')

type OriginCallback = (err: Error | null, origin: ValueOrArray<OriginType>) => void
type OriginType = string | boolean | RegExp
type ValueOrArray<T> = T | ArrayOfValueOrArray<T>

interface ArrayOfValueOrArray<T> extends Array<ValueOrArray<T>> {
}

type FastifyCorsPlugin = FastifyPluginCallback<
  NonNullable<fastifyCors.FastifyCorsOptions> | fastifyCors.FastifyCorsOptionsDelegate
>

type FastifyCorsHook =
  | 'onRequest'
  | 'preParsing'
  | 'preValidation'
  | 'preHandler'
  | 'preSerialization'

declare namespace fastifyCors {
  /** Called with `this` bound to the Fastify instance the plugin was registered on. */
  export type OriginFunction = (this: FastifyInstance, origin: string | undefined, callback: OriginCallback) => void
  export type AsyncOriginFunction = (this: FastifyInstance, origin: string | undefined) => Promise<ValueOrArray<OriginType>>

  export interface FastifyCorsOptions {
    /** The lifecycle hook the CORS headers are written in. @default 'onRequest' */
    hook?: FastifyCorsHook;
    /** Options decided per request. */
    delegator?: FastifyCorsOptionsDelegate;
    /**
     * Access-Control-Allow-Origin: `'*'` (default), a fixed string, `true`
     * (reflect), a RegExp, an array of these, or a function deciding per
     * request; `false` turns CORS off. rust-cors also takes origin patterns
     * such as `'https://*.example.com'` (matching origins are reflected).
     * @default '*'
     */
    origin?: ValueOrArray<OriginType> | fastifyCors.AsyncOriginFunction | fastifyCors.OriginFunction;
    /** Send Access-Control-Allow-Credentials: true. */
    credentials?: boolean;
    /** Access-Control-Expose-Headers: a comma-separated string or an array. */
    exposedHeaders?: string | string[];
    /** Access-Control-Allow-Headers; by default the request's Access-Control-Request-Headers is reflected. */
    allowedHeaders?: string | string[];
    /** Access-Control-Allow-Methods. @default 'GET,HEAD,POST' */
    methods?: string | string[];
    /** Access-Control-Max-Age, in seconds. */
    maxAge?: number;
    /** Cache-Control on preflight responses: a number of seconds (`max-age=N`) or the whole value. */
    cacheControl?: number | string;
    /** Pass preflights on to the route handler. @default false */
    preflightContinue?: boolean;
    /** The status of a successful preflight. @default 204 */
    optionsSuccessStatus?: number;
    /** Answer preflights. @default true */
    preflight?: boolean;
    /** Answer 400 to an OPTIONS request without Origin or Access-Control-Request-Method. @default true */
    strictPreflight?: boolean;
    /** Hide the OPTIONS * route from @fastify/swagger. @default true */
    hideOptionsRoute?: boolean;
    /** The log level of the OPTIONS * route. */
    logLevel?: LogLevel;
    /** rust-cors: turn every configuration warning into an error at registration. */
    strict?: boolean;
    /** rust-cors: answer Private Network Access preflights (Access-Control-Allow-Private-Network). */
    allowPrivateNetwork?: boolean;
  }

  export interface FastifyCorsOptionsDelegateCallback { (req: FastifyRequest, cb: (error: Error | null, corsOptions?: FastifyCorsOptions) => void): void }
  export interface FastifyCorsOptionsDelegatePromise { (req: FastifyRequest): Promise<FastifyCorsOptions> }
  export type FastifyCorsOptionsDelegate = FastifyCorsOptionsDelegateCallback | FastifyCorsOptionsDelegatePromise
  export type FastifyPluginOptionsDelegate<T = FastifyCorsOptionsDelegate> = (instance: FastifyInstance) => T

  /** One reason in an explanation, and the explanation: the same types as rust-cors's own explain(). */
  export type Reason = rustCors.Reason
  export type Explanation = rustCors.Explanation

  /**
   * rust-cors: what the plugin sends for a request (`{ method, headers, credentials }`, as a
   * page's script makes it) and what a browser decides about it. A Promise when an origin
   * function or delegator answers later.
   */
  export function explain (
    options: FastifyCorsOptions | FastifyCorsOptionsDelegate | undefined,
    request: { method?: string, headers?: Record<string, string | string[] | undefined>, credentials?: boolean },
  ): Explanation | Promise<Explanation>

  export const fastifyCors: FastifyCorsPlugin
  export { fastifyCors as default }
}

declare function fastifyCors (
  ...params: Parameters<FastifyCorsPlugin>
): ReturnType<FastifyCorsPlugin>

export = fastifyCors

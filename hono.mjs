// ESM entry of rust-cors/hono: `import { cors } from 'rust-cors/hono'`, as `import { cors } from 'hono/cors'`.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const hono = require('./lib/hono.js')

export const cors = hono.cors
export const toNginx = hono.toNginx

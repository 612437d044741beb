// ESM entry of rust-cors/koa: `import cors from 'rust-cors/koa'`, as `import cors from '@koa/cors'`.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const cors = require('./lib/koa.js')

export default cors
export { cors }
export const toNginx = cors.toNginx

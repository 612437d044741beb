// ESM entry of rust-cors/fastify: `import cors from 'rust-cors/fastify'` and
// `import { fastifyCors } from 'rust-cors/fastify'`, as with @fastify/cors (and
// rust-cors's `explain`).
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const fastifyCors = require('./lib/fastify.js')

export default fastifyCors
export { fastifyCors }
export const explain = fastifyCors.explain

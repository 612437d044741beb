// ESM entry: `import cors from 'rust-cors'` and `import { rustCors } from 'rust-cors'`.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const rustCors = require('./index.js')

export default rustCors
export { rustCors }
export const explain = rustCors.explain
export const toNginx = rustCors.toNginx

'use strict'

// One request judged twice: by `rust-cors check` (in process, --json) and by
// a real fetch() in a Chromium page. Shared by the real-server tests.

const { main } = require('../../lib/cli/main')

async function commandVerdict ({ url, origin, method, headers, credentials }) {
  const args = ['check', url, '--origin', origin, '--method', method, '--json']
  for (const [name, value] of headers) args.push('--header', `${name}: ${value}`)
  if (credentials) args.push('--credentials')
  let out = ''
  let err = ''
  const code = await main(args, { stdout: { write: (s) => { out += s } }, stderr: { write: (s) => { err += s } } })
  const result = out ? JSON.parse(out) : { verdict: 'ERROR', problems: [], error: { message: err } }
  return { code, result, allows: result.verdict === 'PASS' }
}

// fetch() from `page`; a fresh request each time (no HTTP cache).
async function browserVerdict (page, { url, method, headers, credentials }) {
  return page.evaluate(async ({ url, method, headers, credentials }) => {
    try {
      const response = await fetch(url, { method, headers, credentials: credentials ? 'include' : 'same-origin', cache: 'no-store' })
      await response.text()
      return { allows: true, status: response.status }
    } catch (e) {
      return { allows: false, error: `${e.name}: ${e.message}` }
    }
  }, { url, method, headers, credentials })
}

module.exports = { commandVerdict, browserVerdict }

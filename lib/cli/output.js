'use strict'

// How `rust-cors check` prints one check: the text report (verdict line, one
// line per exchange, each problem with its fix, notes) or JSON.

const { headerValue } = require('./drive')

function describeExchange (exchange, firstUrl, pageOrigin) {
  const where = exchange.url === firstUrl ? '' : ` ${exchange.url}`
  const origin = headerValue(exchange.requestHeaders, 'origin')
  const extras = []
  if (exchange.stage === 'preflight') {
    extras.push(`Access-Control-Request-Method: ${headerValue(exchange.requestHeaders, 'access-control-request-method')}`)
    const acrh = headerValue(exchange.requestHeaders, 'access-control-request-headers')
    if (acrh) extras.push(`Access-Control-Request-Headers: ${acrh}`)
  }
  if (origin !== undefined && origin !== pageOrigin) extras.push(`Origin: ${origin}`)
  const to = exchange.redirectTo ? ` to ${exchange.redirectTo}` : ''
  const label = exchange.stage === 'vary-probe' ? 'vary check' : exchange.stage
  return `  ${label.padEnd(10)} ${exchange.method}${where} -> ${exchange.status}${to}${extras.length ? `  (${extras.join(', ')})` : ''}`
}

function formatText (result, opts) {
  const url = opts.url.href
  const lines = []
  lines.push(`${result.verdict}  ${result.method} ${url} from origin ${opts.origin}${opts.credentials ? ' (with credentials)' : ''}`)
  if (!result.chain.some((e) => e.stage === 'preflight')) {
    lines.push('  preflight  none (a simple request: a browser sends it directly)')
  }
  for (const exchange of result.chain) lines.push(describeExchange(exchange, url, opts.origin))
  if (!result.chain.some((e) => e.stage === 'actual')) lines.push('  actual     not sent')
  for (const p of result.problems) {
    lines.push('')
    lines.push(`${p.severity} ${p.code} (${p.stage})${p.url !== url ? ` at ${p.url}` : ''}`)
    lines.push(`  ${p.message}`)
    lines.push(`  fix: ${p.fix}`)
  }
  if (result.notes.length) {
    lines.push('')
    for (const n of result.notes) lines.push(`note: ${n}`)
  }
  return lines.join('\n') + '\n'
}

function toJson (result) {
  return {
    verdict: result.verdict,
    preflight: result.preflight,
    actual: result.actual,
    problems: result.problems.map(({ code, severity, message, fix, stage, url }) => ({ code, severity, message, fix, stage, url })),
    notes: result.notes,
    chain: result.chain
  }
}

// Indented JSON, with each [name, value] header pair kept on one line.
function stringify (obj) {
  return JSON.stringify(obj, null, 2).replace(/\[\n\s*("(?:[^"\\]|\\.)*"),\n\s*("(?:[^"\\]|\\.)*")\n\s*\]/g, '[$1, $2]') + '\n'
}

module.exports = { formatText, toJson, stringify }

'use strict'

// `rust-cors check --cases <file>`: every request a frontend makes, each with
// the verdict it must get, checked one after the other against the live
// server(s): one line per case, a summary, exit 1 when any verdict differs
// from the expected one. The file is JSON or a JS module (CommonJS or ESM)
// exporting either an array of cases or { baseUrl, defaults, cases }.

const { UsageError, TOKEN, parseHeader, parseUrl, parseOrigin } = require('./args')
const { loadModule } = require('./load')
const { check } = require('./drive')
const { CheckError } = require('./http')
const { stringify } = require('./output')

const VERDICTS = ['PASS', 'BLOCKED']
const CASE_KEYS = new Set(['name', 'url', 'origin', 'method', 'headers', 'credentials', 'preflightOnly', 'expect'])

// The file's cases: its value, or an ES module's named exports.
async function loadFile (file) {
  const { value, namespace } = await loadModule(file)
  let loaded = value === undefined && namespace ? namespace : value
  // A transpiled module's `exports.default`.
  if (loaded && typeof loaded === 'object' && 'default' in loaded && (Array.isArray(loaded.default) || typeof loaded.default === 'object')) {
    loaded = loaded.default
  }
  return loaded
}

function describe (value) {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'string' ? JSON.stringify(value) : typeof value
}

// headers: { Name: value }, [[name, value]], or ['Name', 'Name: value'].
function normalizeHeaders (headers, where) {
  if (headers === undefined) return []
  const fail = (why) => { throw new UsageError(`${where}.headers: ${why}`) }
  const one = (arg) => {
    try {
      return parseHeader(arg)
    } catch (e) {
      if (e instanceof UsageError) fail(e.message)
      throw e
    }
  }
  if (Array.isArray(headers)) {
    return headers.map((h, i) => {
      if (typeof h === 'string') return one(h)
      if (Array.isArray(h) && h.length === 2 && h.every((x) => typeof x === 'string')) return one(`${h[0]}: ${h[1]}`)
      return fail(`item ${i} must be 'Name', 'Name: value' or [name, value]; got ${describe(h)}`)
    })
  }
  if (headers && typeof headers === 'object') {
    return Object.entries(headers).map(([name, value]) => {
      if (typeof value !== 'string' && typeof value !== 'number') fail(`${name} must be a string; got ${describe(value)}`)
      return one(`${name}: ${value}`)
    })
  }
  return fail(`expected an object of headers or an array; got ${describe(headers)}`)
}

// The cases of the file, each complete and validated (a UsageError names
// the case and the field otherwise).
function normalizeCases (loaded, file, opts) {
  let list = loaded
  let baseUrl = opts.baseUrl
  let defaults = {}
  if (loaded && typeof loaded === 'object' && !Array.isArray(loaded)) {
    list = loaded.cases
    if (loaded.defaults !== undefined) {
      if (!loaded.defaults || typeof loaded.defaults !== 'object') throw new UsageError(`${file}: defaults must be an object`)
      defaults = loaded.defaults
    }
    if (!baseUrl && loaded.baseUrl !== undefined) {
      try {
        baseUrl = parseUrl(String(loaded.baseUrl))
      } catch (e) {
        throw new UsageError(`${file}: baseUrl: ${e.message}`)
      }
    }
  }
  if (!Array.isArray(list)) throw new UsageError(`${file}: expected an array of cases, or an object with a "cases" array; got ${describe(list)}`)
  if (list.length === 0) throw new UsageError(`${file}: no cases`)
  // What the command line gave (undefined: not given).
  const flags = {
    origin: opts.origin === null ? undefined : opts.origin,
    method: opts.method === null ? undefined : opts.method,
    headers: opts.headers.length ? opts.headers : undefined,
    credentials: opts.credentials ? true : undefined,
    preflightOnly: opts.preflightOnly ? true : undefined
  }
  return list.map((raw, i) => {
    const where = `cases[${i}]`
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`${where}: expected an object; got ${describe(raw)}`)
    const unknown = Object.keys(raw).filter((k) => !CASE_KEYS.has(k))
    if (unknown.length) throw new UsageError(`${where}: unknown field ${unknown.join(', ')} (known: ${[...CASE_KEYS].join(', ')})`)
    // The case's own field, then the command line's flag, then the file's
    // defaults (as --base-url wins over the file's baseUrl).
    const field = (key, flag) => raw[key] !== undefined ? raw[key] : flag !== undefined ? flag : defaults[key]
    const fail = (why) => { throw new UsageError(`${where}${raw.name ? ` (${raw.name})` : ''}: ${why}`) }
    const guard = (fn) => {
      try {
        return fn()
      } catch (e) {
        if (e instanceof UsageError) fail(e.message)
        throw e
      }
    }

    if (typeof raw.url !== 'string' || raw.url === '') fail('url is required (absolute, or relative to --base-url / baseUrl)')
    let href
    try {
      href = new URL(raw.url, baseUrl || undefined).href
    } catch {
      fail(`url ${JSON.stringify(raw.url)} is not a URL${baseUrl ? '' : ' (a relative URL needs --base-url or baseUrl)'}`)
    }
    const url = guard(() => parseUrl(href))

    const originValue = field('origin', flags.origin)
    if (originValue === null || originValue === undefined) fail('origin is required (in the case, in defaults, or --origin)')
    const origin = guard(() => parseOrigin(String(originValue)))

    const method = field('method', flags.method)
    if (method !== undefined && (typeof method !== 'string' || !TOKEN.test(method))) fail(`method must be a method name; got ${describe(method)}`)

    const headersValue = field('headers', flags.headers)
    const headers = headersValue === undefined ? [] : headersValue === flags.headers ? flags.headers : normalizeHeaders(headersValue, where)

    const credentials = field('credentials', flags.credentials)
    if (credentials !== undefined && typeof credentials !== 'boolean') fail(`credentials must be true or false; got ${describe(credentials)}`)
    const preflightOnly = field('preflightOnly', flags.preflightOnly)
    if (preflightOnly !== undefined && typeof preflightOnly !== 'boolean') fail(`preflightOnly must be true or false; got ${describe(preflightOnly)}`)

    const expected = typeof raw.expect === 'string' ? raw.expect.toUpperCase() : raw.expect
    if (!VERDICTS.includes(expected)) fail(`expect must be "PASS" or "BLOCKED"; got ${describe(raw.expect)}`)

    const verb = method === undefined ? 'GET' : method
    const name = raw.name !== undefined ? String(raw.name) : `${verb} ${url.href} from ${origin}`
    return { name, url, origin, method: verb, headers, credentials: credentials === true, preflightOnly: preflightOnly === true, expect: expected }
  })
}

async function runCases (opts, { out, trace, native }) {
  const loaded = await loadFile(opts.cases)
  const cases = normalizeCases(loaded, opts.cases, opts)
  const results = []
  for (const testCase of cases) {
    if (trace) trace(`* case: ${testCase.name}`)
    let verdict
    let problems = []
    let error = null
    try {
      const result = await check({ ...testCase, timeout: opts.timeout, varyProbe: opts.varyProbe }, { trace, native })
      verdict = result.verdict
      problems = result.problems.map(({ code, severity, stage, message }) => ({ code, severity, stage, message }))
    } catch (e) {
      if (!(e instanceof CheckError)) throw e
      verdict = 'ERROR'
      error = { code: e.code, message: e.message }
    }
    const entry = {
      name: testCase.name,
      method: testCase.method,
      url: testCase.url.href,
      origin: testCase.origin,
      credentials: testCase.credentials,
      expect: testCase.expect,
      verdict,
      asExpected: verdict === testCase.expect,
      problems,
      error
    }
    results.push(entry)
    if (!opts.json) out(formatCase(entry))
  }
  const summary = {
    total: results.length,
    asExpected: results.filter((r) => r.asExpected).length,
    unexpected: results.filter((r) => !r.asExpected).length,
    pass: results.filter((r) => r.verdict === 'PASS').length,
    blocked: results.filter((r) => r.verdict === 'BLOCKED').length,
    error: results.filter((r) => r.verdict === 'ERROR').length
  }
  if (opts.json) out(stringify({ summary, cases: results }))
  else out(formatSummary(summary))
  return summary.unexpected === 0 ? 0 : 1
}

function formatCase (entry) {
  const mark = entry.asExpected ? 'ok  ' : 'FAIL'
  const lines = [`${mark}  ${entry.verdict.padEnd(7)}  ${entry.name}`]
  if (!entry.asExpected) {
    lines.push(`      expected ${entry.expect}, got ${entry.verdict}: ${entry.method} ${entry.url} from ${entry.origin}${entry.credentials ? ' (with credentials)' : ''}`)
    if (entry.error) lines.push(`      ${entry.error.message}`)
    for (const p of entry.problems.filter((x) => x.severity === 'error')) lines.push(`      ${p.code} (${p.stage}): ${p.message}`)
    if (!entry.error && !entry.problems.some((x) => x.severity === 'error')) lines.push('      the browser would allow it')
  }
  return lines.join('\n') + '\n'
}

function formatSummary (summary) {
  const counts = `${summary.pass} PASS, ${summary.blocked} BLOCKED${summary.error ? `, ${summary.error} ERROR` : ''}`
  const verdict = summary.unexpected === 0
    ? 'every verdict as expected'
    : `${summary.unexpected} not as expected`
  return `\n${summary.total} cases (${counts}): ${summary.asExpected} as expected, ${verdict}\n`
}

module.exports = { runCases, normalizeCases }

'use strict'

// The nginx export never costs nginx more than linear time per request.
// nginx runs a map's regexes with PCRE, which backtracks: a RegExp such as
// /^https:\/\/(a+)+\.example\.com$/ exported as it is costs nginx about
// 100 ms of CPU per hostile Origin (and a PCRE match-limit alert), where the
// middleware decides it in microseconds. toNginx refuses every RegExp whose
// choices are not decided by the next byte and writes the others possessive
// and atomic (src/export/linear.rs).
//
// Here every candidate below is either refused, with a TypeError naming it
// and the pattern form to use instead, or exported into a real nginx, where
// hostile origins (long runs that nearly match, for nested and overlapping
// quantifiers) must cost no more than a benign origin on the same location,
// measured in the same run: the minimum of several repetitions, within a
// generous ratio plus an absolute floor (the machine is shared). nginx's
// error log must hold no PCRE alert.

const http = require('node:http')
const rustCors = require('..')
const { describeNginx, startNginx } = require('./helpers/nginx-server')

// Several candidates warn (a RegExp origin list is fine, but some options are sloppy on purpose).
jest.spyOn(process, 'emitWarning').mockImplementation(() => {})

// Catastrophic (exponential or polynomial) under backtracking: each must be refused.
const CATASTROPHIC = [
  /^https:\/\/(a+)+\.example\.com$/,
  /^https:\/\/(a|a)*\.example\.com$/,
  /^https:\/\/(a|ab)*c$/,
  /^https:\/\/([a-z0-9-]+\.)*example\.com$/,
  /^https:\/\/([a-z0-9-]+)*\.example\.com$/,
  /^https:\/\/.*\.example\.com$/,
  /^https:\/\/.*.*=.*$/,
  /^https:\/\/(\w+\s?)*$/,
  /^(\d+)+$/,
  /^https:\/\/[a-z]+[a-z0-9]*\.example\.com$/,
  /^https:\/\/(x+x+)+y$/,
  /^https:\/\/((a?){20}){20}$/,
  /\.example\.com(:\d+)*$/,
  /a+b/,
  /(a|b)*c/m
]

// Origin RegExps as people write them: each is either refused or exported.
const CANDIDATES = [
  ...CATASTROPHIC,
  /^https:\/\/[a-z]+\.example\.com$/,
  /^https:\/\/[a-z0-9-]+\.example\.com$/,
  /^https?:\/\/localhost(:\d+)?$/,
  /^https:\/\/(www\.)?example\.com(:\d{2,5})?$/,
  /^https:\/\/(?:[a-z0-9-]{1,63}\.)+$/,
  /^https:\/\/[^.]+\.example\.com$/,
  /^https:\/\/(a|b|c)+\.example\.com$/,
  /^https:\/\/\w+\.test$/u,
  /^.+$/s,
  /^https:\/\/[a-z]+/,
  /example\.com$/,
  /\bexample\b/,
  /^null$/m,
  /^https:\/\/A\.EXAMPLE\.com$/i,
  /^http:\/\/\[::1\]/,
  /[^\w.:/-]/
]

// Origin patterns (always exported): their label loop runs over long label runs too.
const PATTERNS = ['https://*.example.com', 'https://*.example.com:*', 'http://localhost:*']

// Long runs that almost match, each a header line nginx accepts (under its 8k buffer).
const RUN = 7000
const HOSTILE = [
  'https://' + 'a'.repeat(RUN) + '!',
  'https://' + 'a'.repeat(RUN) + '.example.co',
  'https://' + 'a.'.repeat(RUN / 2) + 'example.co',
  'https://' + 'a-'.repeat(RUN / 2) + '.example.com!',
  'https://' + 'ab'.repeat(RUN / 2) + 'x',
  'https://' + 'a '.repeat(RUN / 2) + '!',
  'https://' + 'x'.repeat(RUN) + 'z',
  'https://' + '='.repeat(RUN) + '!',
  'http://localhost:' + '1'.repeat(RUN) + 'x',
  '1'.repeat(RUN) + 'x',
  'https://a.example.com' + ':1'.repeat(RUN / 2) + 'x',
  'a'.repeat(RUN) + 'c'
]
const BENIGN = 'https://a.example.com'
const REPS = 5
// A hostile request may take RATIO times the benign one, or FLOOR_MS more:
// the refused forms cost nginx 50-150 ms each.
const RATIO = 10
const FLOOR_MS = 15

function refusal (origin) {
  try {
    rustCors.toNginx({ origin })
    return null
  } catch (e) {
    return e
  }
}

describe('toNginx refuses RegExps nginx would backtrack over', () => {
  test.each(CATASTROPHIC.map((re) => [re]))('%p is refused, naming it and the pattern form', (re) => {
    const error = refusal(re)
    expect(error).toBeInstanceOf(TypeError)
    expect(error.code).toBe('RUST_CORS_NOT_EXPORTABLE')
    expect(error.option).toBe('origin')
    expect(error.message).toContain(`the RegExp ${re} is not exported`)
    expect(error.message).toContain("'https://*.example.com'")
    // The middleware itself takes the same RegExp (it never backtracks).
    expect(() => rustCors({ origin: re })).not.toThrow()
  })

  test('inside a list too, whatever else the list holds', () => {
    const error = refusal(['https://app.example.com', 'https://*.example.org', CATASTROPHIC[0]])
    expect(error).toBeInstanceOf(TypeError)
    expect(error.message).toContain(String(CATASTROPHIC[0]))
  })
})

function get (agent, port, path, origin) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', headers: { Origin: origin }, agent }, (res) => {
      res.resume()
      res.on('end', () => resolve({
        ms: Number(process.hrtime.bigint() - started) / 1e6,
        status: res.statusCode,
        allowOrigin: res.headers['access-control-allow-origin']
      }))
    })
    req.on('error', reject)
    req.end()
  })
}

// The fastest of REPS requests (the minimum is what the machine's noise adds least to).
async function fastest (agent, port, path, origin) {
  let best = null
  for (let i = 0; i < REPS; i++) {
    const r = await get(agent, port, path, origin)
    if (best === null || r.ms < best.ms) best = r
  }
  return best
}

describeNginx('exported RegExps and patterns cost nginx linear time on hostile origins', () => {
  const exported = []
  for (const origin of [...CANDIDATES, ...PATTERNS]) {
    if (origin instanceof RegExp && refusal(origin)) continue
    exported.push({ origin, path: `/c${exported.length}`, prefix: `c${exported.length}` })
  }

  let nginx, agent
  beforeAll(async () => {
    let httpPart = ''
    let serverPart = ''
    for (const { origin, path, prefix } of exported) {
      const config = rustCors.toNginx({ origin }, { prefix })
      httpPart += config.http
      serverPart += `location ${path} {\n${config.location}return 200 "ok";\n}\n`
    }
    nginx = await startNginx({ http: httpPart, server: serverPart })
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  }, 60000)

  afterAll(async () => {
    if (agent) agent.destroy()
    if (nginx) await nginx.stop()
  })

  test('every candidate is refused or exported, and the catastrophic ones are refused', () => {
    const kept = exported.filter((e) => e.origin instanceof RegExp).map((e) => String(e.origin))
    for (const re of CATASTROPHIC) expect(kept).not.toContain(String(re))
    expect(kept).toHaveLength(CANDIDATES.length - CATASTROPHIC.length)
  })

  test('each hostile origin costs about what a benign one does, on every exported location', async () => {
    const slow = []
    let requests = 0
    for (const { origin, path } of exported) {
      const benign = await fastest(agent, nginx.port, path, BENIGN)
      for (const hostile of HOSTILE) {
        const r = await fastest(agent, nginx.port, path, hostile)
        requests += REPS
        // The decision is still the middleware's: a hostile origin is never allowed here
        // unless the RegExp really matches it.
        const matches = origin instanceof RegExp ? origin.test(hostile) : false
        expect([String(origin), hostile.slice(0, 40), r.status, r.allowOrigin === hostile])
          .toEqual([String(origin), hostile.slice(0, 40), 200, matches])
        if (r.ms > Math.max(benign.ms * RATIO, benign.ms + FLOOR_MS)) {
          slow.push(`${origin} on ${JSON.stringify(hostile.slice(0, 30))}...: ${r.ms.toFixed(2)} ms, benign ${benign.ms.toFixed(2)} ms`)
        }
      }
    }
    console.log(`nginx ReDoS bound: ${exported.length} exported origins x ${HOSTILE.length} hostile origins ` +
      `(${requests} requests, min of ${REPS}), ${slow.length} over the bound`)
    expect(slow).toEqual([])
    expect(nginx.errorLog()).not.toMatch(/pcre|match limit|regex/i)
  }, 300000)
})

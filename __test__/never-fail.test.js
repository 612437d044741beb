'use strict'

// Issue 9: never fail where cors works, one set of browser rules, patterns
// that cannot reach a public suffix, and caches that cannot lie.
//
// Every "like cors" assertion runs cors@2.8.6 and rust-cors side by side over
// real node:http (helpers/http-answers.js): status, raw headers in order,
// body, how the middleware finished and the JS value of res.statusCode.
// Each implementation gets its own copy of the options (scenario() is called
// once per side), so neither sees the other's RegExp state or mutations.
//
// Warnings are emitted once per process, so every test that counts them runs
// in a fresh child process (helpers/child.js); in this process they are
// silenced.

const cors = require('cors')
const rustCors = require('..')
const { startHttpAnswers } = require('./helpers/http-answers')
const { runInChild } = require('./helpers/child')
const { runRecorded } = require('./helpers/mock')

const APP = 'https://app.example.com'
const EVIL = 'https://evil.example.net'

let http
let warnSpy
beforeAll(async () => {
  http = await startHttpAnswers()
  warnSpy = jest.spyOn(process, 'emitWarning').mockImplementation(() => {})
})
afterAll(async () => {
  warnSpy.mockRestore()
  await http.close()
})

const get = (origin) => ({ method: 'GET', headers: origin === undefined ? {} : { Origin: origin } })
const preflight = (origin, method = 'PUT', headers) => ({
  method: 'OPTIONS',
  headers: Object.assign(origin === undefined ? {} : { Origin: origin }, { 'Access-Control-Request-Method': method },
    headers === undefined ? {} : { 'Access-Control-Request-Headers': headers })
})

// A mix of simple requests and preflights, allowed and refused origins.
const REQUESTS = [
  get(APP), get(EVIL), get(undefined), { method: 'POST', headers: { Origin: APP } },
  preflight(APP, 'PUT', 'x-a, content-type'), preflight(EVIL, 'DELETE'), preflight(APP), { method: 'OPTIONS', headers: {} }
]

// Source text → a fresh value (so each side gets its own objects).
// eslint-disable-next-line no-new-func
const evaluate = (source) => new Function('"use strict"; return (' + source + ')')()

// scenario() → { options, beforeRequest?(i) }; called once per implementation.
// Sends every request through both and expects identical answers; returns
// cors's answers (for sensitivity checks).
async function expectSameAsCors (scenario, requests = REQUESTS) {
  const ref = scenario()
  const mine = scenario()
  const refMw = cors(ref.options)
  let mineMw
  expect(() => { mineMw = rustCors(mine.options) }).not.toThrow()
  const answers = []
  for (let i = 0; i < requests.length; i++) {
    if (ref.beforeRequest) ref.beforeRequest(i)
    const expected = await http.send(refMw, requests[i])
    if (mine.beforeRequest) mine.beforeRequest(i)
    const actual = await http.send(mineMw, requests[i])
    expect({ request: i, sent: requests[i], ...actual }).toEqual({ request: i, sent: requests[i], ...expected })
    answers.push(expected)
  }
  return answers
}

// The same options as static options, from an options delegate (sync and
// async) — and, for an origin value, from an origin callback.
const staticOptions = (make) => () => ({ options: make() })
const fromDelegate = (make) => () => {
  const options = make()
  return { options: (req, cb) => cb(null, options) }
}
const fromAsyncDelegate = (make) => () => {
  const options = make()
  return { options: (req, cb) => setImmediate(() => cb(null, options)) }
}
const fromOriginCallback = (makeOrigin) => () => {
  const origin = makeOrigin()
  return { options: { origin: (o, cb) => cb(null, origin) } }
}

function header (answer, name) {
  const raw = answer.rawHeaders
  for (let i = 0; i < raw.length; i += 2) if (raw[i].toLowerCase() === name.toLowerCase()) return raw[i + 1]
  return undefined
}

// Builds the middleware in a fresh process and reports the RustCorsWarnings
// and what `strict: true` throws.
function strictError (optionsSource) {
  return `(() => {
    try { rustCors(Object.assign(${optionsSource}, { strict: true })); return null } catch (e) {
      return { type: e && e.constructor && e.constructor.name, code: e && e.code, message: String(e && e.message) }
    }
  })()`
}

// -----------------------------------------------------------------------------
describe('Where it fails where cors works', () => {
  // cors@2.8.6 answers every request with each of these (it ignores the
  // credentials value, writes 42 / true / '[object Object]' verbatim, omits a
  // length-less header list, and Node coerces the status with `| 0`).
  const WRONG_TYPED = [
    ['credentials', "'true'"], ['credentials', '1'], ['credentials', '{}'],
    ['methods', '42'], ['methods', 'true'],
    ['maxAge', 'true'], ['maxAge', "'600'"], ['maxAge', '{}'],
    ['optionsSuccessStatus', "'200'"], ['optionsSuccessStatus', '200.5'],
    ['exposedHeaders', '42'], ['allowedHeaders', '42'], ['headers', '42']
  ]

  describe('wrong-typed values of cors options (credentials: \'true\', methods: 42, …)', () => {
    test.each(WRONG_TYPED)('%s: %s answers every request like cors: static options, sync and async delegates', async (name, source) => {
      const make = () => ({ origin: [APP], [name]: evaluate(source) })
      await expectSameAsCors(staticOptions(make))
      await expectSameAsCors(fromDelegate(make))
      await expectSameAsCors(fromAsyncDelegate(make))
      // with the default origin too
      await expectSameAsCors(staticOptions(() => ({ [name]: evaluate(source) })))
    })

    test.each(WRONG_TYPED)('%s: %s warns once with RUST_CORS_INVALID_OPTION naming the option; strict: true throws it', (name, source) => {
      const { warnings, result } = runInChild(`
        const options = { origin: ['${APP}'], ${name}: ${source} }
        rustCors(options)
        result.strict = ${strictError(`{ origin: ['${APP}'], ${name}: ${source} }`)}
      `)
      const invalid = warnings.filter((w) => w.code === 'RUST_CORS_INVALID_OPTION')
      expect(invalid).toHaveLength(1)
      expect(invalid[0].message).toContain('`' + name + '`')
      expect(result.strict).toMatchObject({ type: 'TypeError', code: 'RUST_CORS_INVALID_OPTION' })
      expect(result.strict.message).toContain('`' + name + '`')
    })

    test.each(WRONG_TYPED)('%s: %s inside an options delegate: every request answered (no next(err)), one warning over many requests', (name, source) => {
      const { warnings, result } = runInChild(`
        const mw = rustCors((req, cb) => cb(null, { origin: ['${APP}'], ${name}: ${source} }))
        result.outcomes = []
        for (let i = 0; i < 5; i++) {
          for (const method of ['GET', 'OPTIONS']) {
            const res = mockResponse()
            let outcome = 'not finished'
            const origEnd = res.end
            res.end = function () { outcome = 'end'; return origEnd.call(this) }
            mw(mockRequest(method, { origin: '${APP}', 'access-control-request-method': 'PUT' }), res, (err) => { outcome = err ? 'next(' + String(err) + ')' : 'next()' })
            result.outcomes.push(method + ' ' + outcome)
          }
        }
      `)
      expect(result.outcomes).toEqual(Array.from({ length: 5 }, () => ['GET next()', 'OPTIONS end']).flat())
      const invalid = warnings.filter((w) => w.code === 'RUST_CORS_INVALID_OPTION')
      expect(invalid).toHaveLength(1)
      expect(invalid[0].message).toContain('`' + name + '`')
    })
  })

  describe('origin strings with `*` that are not valid patterns stay inert literals, as in cors', () => {
    // [string, an origin a pattern reading would allow]
    const INVALID = [
      ['https://api.example.com/*', 'https://api.example.com'],
      ['*.example.com', 'https://a.example.com'],
      ['https://*.de', 'https://evil.de']
    ]

    test.each(INVALID)('%s: top level, in a list, from a delegate and from an origin callback, answered like cors', async (literal, wouldMatch) => {
      const requests = [get(literal), get(wouldMatch), get(APP), get(undefined), preflight(wouldMatch), preflight(literal, 'DELETE', 'x-a')]
      await expectSameAsCors(staticOptions(() => ({ origin: literal })), requests)
      await expectSameAsCors(staticOptions(() => ({ origin: [APP, literal] })), requests)
      await expectSameAsCors(staticOptions(() => ({ origin: [literal, /^https:\/\/never\.example$/], credentials: true })), requests)
      await expectSameAsCors(fromDelegate(() => ({ origin: [literal] })), requests)
      await expectSameAsCors(fromDelegate(() => ({ origin: literal })), requests)
      await expectSameAsCors(fromOriginCallback(() => [APP, [literal]]), requests)
      await expectSameAsCors(fromOriginCallback(() => literal), requests)
      // the literal matches only itself
      const answers = await expectSameAsCors(staticOptions(() => ({ origin: [literal] })), [get(literal), get(wouldMatch)])
      expect(header(answers[0], 'Access-Control-Allow-Origin')).toBe(literal)
      expect(header(answers[1], 'Access-Control-Allow-Origin')).toBeUndefined()
    })

    test.each(INVALID)('%s: one RUST_CORS_INVALID_PATTERN warning; strict: true throws it', (literal) => {
      const { warnings, result } = runInChild(`
        rustCors({ origin: [${JSON.stringify(literal)}, '${APP}'] })
        result.strict = ${strictError(`{ origin: [${JSON.stringify(literal)}, '${APP}'] }`)}
        result.strictTop = ${strictError(`{ origin: ${JSON.stringify(literal)} }`)}
      `)
      expect(warnings.filter((w) => w.code === 'RUST_CORS_INVALID_PATTERN')).toHaveLength(1)
      expect(result.strict).toMatchObject({ type: 'TypeError', code: 'RUST_CORS_INVALID_PATTERN' })
      expect(result.strictTop).toMatchObject({ type: 'TypeError', code: 'RUST_CORS_INVALID_PATTERN' })
    })

    test.each(INVALID)('%s from an origin callback: every request answered (no next(err)), one warning over many requests', (literal) => {
      const { warnings, result } = runInChild(`
        const mw = rustCors({ origin: (origin, cb) => cb(null, [${JSON.stringify(literal)}]) })
        result.outcomes = []
        for (let i = 0; i < 5; i++) {
          const res = mockResponse()
          mw(mockRequest('GET', { origin: ${JSON.stringify(literal)} }), res, (err) => {
            result.outcomes.push(err ? 'next(' + String(err) + ')' : 'next() ' + res.getHeader('Access-Control-Allow-Origin'))
          })
        }
      `)
      expect(result.outcomes).toEqual(Array(5).fill('next() ' + literal))
      expect(warnings.filter((w) => w.code === 'RUST_CORS_INVALID_PATTERN')).toHaveLength(1)
    })
  })

  describe('deeply nested origin arrays (no cycle) work as in cors', () => {
    const nest = (depth, leaf) => {
      let value = leaf
      for (let i = 0; i < depth; i++) value = [value]
      return value
    }
    test.each([65, 200])('%i levels: static options, a delegate and an origin callback answer like cors', async (depth) => {
      const requests = [get(APP), get(EVIL), get('https://r.example.org'), get(undefined), preflight(APP), preflight(EVIL)]
      const make = () => ['https://x.example', nest(depth, APP), nest(depth - 1, [/^https:\/\/r\.example\.org$/])]
      await expectSameAsCors(staticOptions(() => ({ origin: make() })), requests)
      await expectSameAsCors(staticOptions(() => ({ origin: nest(depth, APP) })), requests)
      await expectSameAsCors(fromDelegate(() => ({ origin: make() })), requests)
      await expectSameAsCors(fromOriginCallback(make), requests)
      const answers = await expectSameAsCors(staticOptions(() => ({ origin: make() })), [get(APP)])
      expect(header(answers[0], 'Access-Control-Allow-Origin')).toBe(APP)
    })
  })

  test('what still throws without strict: wrong types of rust-cors\'s own options, and a self-containing origin array (cors overflows the stack on every request it does not allow)', () => {
    for (const [name, value] of [['strict', 'yes'], ['strictPreflight', 'yes'], ['allowPrivateNetwork', 1], ['cacheControl', -5]]) {
      let err
      try { rustCors({ [name]: value }) } catch (e) { err = e }
      expect([name, err instanceof TypeError]).toEqual([name, true])
      expect(err.message).toContain('`' + name + '`')
    }
    const loop = [APP]
    loop.push(loop)
    expect(() => rustCors({ origin: loop })).toThrow(TypeError)
    // cors itself throws a RangeError on every request whose origin is not found before the cycle
    // (no Origin, any refused origin, simple or preflight); it answers only an origin listed first
    for (const [method, headers] of [['GET', {}], ['GET', { origin: EVIL }], ['OPTIONS', { origin: EVIL }]]) {
      expect(runRecorded(cors({ origin: loop }), method, headers).threw).toBe('RangeError')
    }
    expect(runRecorded(cors({ origin: loop }), 'GET', { origin: APP }).threw).toBeNull()
  })

  describe('warnings are printed once per process, however many middleware instances are built', () => {
    test('100 instances with the same risky configuration print one warning', () => {
      const { warnings, printedWarnings } = runInChild(`
        for (let i = 0; i < 100; i++) rustCors({ credentials: true })
      `)
      expect(warnings.map((w) => w.code)).toEqual(['RUST_CORS_WILDCARD_CREDENTIALS'])
      expect(printedWarnings).toHaveLength(1)
    })

    test('a middleware built per request (as Uppy Companion does), 100 requests: each problem printed once', () => {
      const { warnings, printedWarnings, result } = runInChild(`
        result.answers = []
        for (let i = 0; i < 100; i++) {
          const res = mockResponse()
          let passed = false
          rustCors({ origin: ['${APP}', 'https://*.de'], credentials: 'true', maxAge: 600 })(mockRequest('GET', { origin: '${APP}' }), res, (err) => { passed = !err })
          result.answers.push([passed, res.getHeader('Access-Control-Allow-Origin'), res.getHeader('Access-Control-Allow-Credentials') === undefined])
        }
      `)
      expect(result.answers).toEqual(Array(100).fill([true, APP, true]))
      const codes = warnings.map((w) => w.code)
      expect(codes.filter((c) => c === 'RUST_CORS_INVALID_OPTION')).toHaveLength(1)
      expect(codes.filter((c) => c === 'RUST_CORS_INVALID_PATTERN')).toHaveLength(1)
      expect(printedWarnings).toHaveLength(warnings.length)
      expect(warnings.length).toBeLessThanOrEqual(3)
    })

    test('100 delegate middlewares returning the same wrong-typed options: one warning', () => {
      const { warnings, printedWarnings } = runInChild(`
        for (let i = 0; i < 100; i++) {
          const mw = rustCors((req, cb) => cb(null, { origin: true, methods: 42 }))
          mw(mockRequest('OPTIONS', { origin: '${APP}', 'access-control-request-method': 'PUT' }), mockResponse(), () => {})
        }
      `)
      expect(warnings.map((w) => w.code)).toEqual(['RUST_CORS_INVALID_OPTION'])
      expect(printedWarnings).toHaveLength(1)
    })

    test('the same code with different messages (two different options) is printed once per message', () => {
      const { warnings } = runInChild(`
        for (let i = 0; i < 50; i++) {
          rustCors({ origin: ['${APP}'], credentials: 'true' })
          rustCors({ origin: ['${APP}'], methods: 42 })
        }
      `)
      const invalid = warnings.filter((w) => w.code === 'RUST_CORS_INVALID_OPTION')
      expect(invalid).toHaveLength(2)
      expect(invalid.filter((w) => w.message.includes('`credentials`'))).toHaveLength(1)
      expect(invalid.filter((w) => w.message.includes('`methods`'))).toHaveLength(1)
    })
  })
})

// -----------------------------------------------------------------------------
describe('Where the code disagrees with itself', () => {
  test('methods: \'*\' and allowedHeaders: \'*\': NODE_DEBUG does not report DELETE or x-custom as refused, and explain() allows them', async () => {
    const request = `{ origin: '${APP}', 'access-control-request-method': 'DELETE', 'access-control-request-headers': 'x-custom' }`
    const { stderr } = runInChild(`
      const send = (mw, headers) => mw(mockRequest('OPTIONS', headers), mockResponse(), () => {})
      process.stderr.write('@@ wildcards\\n')
      send(rustCors({ origin: ['${APP}'], methods: '*', allowedHeaders: '*' }), ${request})
      process.stderr.write('@@ method not listed\\n')
      send(rustCors({ origin: ['${APP}'], methods: ['GET'], allowedHeaders: ['Content-Type'] }), { origin: '${APP}', 'access-control-request-method': 'DELETE' })
      process.stderr.write('@@ header not listed\\n')
      send(rustCors({ origin: ['${APP}'], methods: ['GET', 'DELETE'], allowedHeaders: ['Content-Type'] }), ${request})
      process.stderr.write('@@ end\\n')
    `, { env: { NODE_DEBUG: 'rust-cors' } })
    const sections = {}
    let current = null
    for (const line of stderr.split('\n')) {
      if (line.startsWith('@@ ')) sections[current = line.slice(3)] = []
      else if (current && /^RUST-CORS \d+:/.test(line)) sections[current].push(line)
    }
    // no line says DELETE or x-custom is refused (a line that names them only to say they pass is fine)
    const refusal = /\bnot\b|den(y|ied)|refus|block|fail|error|missing|disallow|reject/i
    expect(sections['wildcards'].filter((l) => /DELETE|x-custom/i.test(l) && refusal.test(l))).toEqual([])
    // the same log does speak up when DELETE or x-custom is really refused (so silence above means something)
    expect(sections['method not listed'].some((l) => /DELETE/.test(l))).toBe(true)
    expect(sections['header not listed'].some((l) => /x-custom/i.test(l))).toBe(true)

    const e = await rustCors.explain({ origin: [APP], methods: '*', allowedHeaders: '*' },
      { method: 'DELETE', headers: { origin: APP, 'x-custom': '1' } })
    expect({ preflight: e.preflight, allowed: e.allowed }).toEqual({ preflight: true, allowed: true })
    // with credentials a browser takes '*' literally (Fetch: CORS-preflight fetch, methods/headers check)
    const withCredentials = await rustCors.explain({ origin: [APP], credentials: true, methods: '*', allowedHeaders: '*' },
      { method: 'DELETE', headers: { origin: APP }, credentials: true })
    expect({ preflight: withCredentials.preflight, allowed: withCredentials.allowed }).toEqual({ preflight: true, allowed: false })
  })

  test('explain() plans the preflight like a browser', async () => {
    const options = { origin: [APP], methods: ['GET'], allowedHeaders: ['Content-Type'] }
    const plan = async (request) => {
      const e = await rustCors.explain(options, request)
      return { preflight: e.preflight, allowed: e.allowed, hasError: e.reasons.some((r) => r.severity === 'error') }
    }
    // DELETE is not CORS-safelisted: preflighted, and the preflight fails (methods: GET)
    expect(await plan({ method: 'DELETE', headers: { origin: APP } })).toEqual({ preflight: true, allowed: false, hasError: true })
    // an author header outside the safelist: preflighted, and the preflight fails (allowedHeaders: Content-Type)
    expect(await plan({ method: 'GET', headers: { origin: APP, 'x-custom': '1' } })).toEqual({ preflight: true, allowed: false, hasError: true })
    // Content-Type: application/json is not a safelisted value: preflighted, then allowed
    expect(await plan({ method: 'POST', headers: { origin: APP, 'Content-Type': 'application/json' } })).toEqual({ preflight: true, allowed: true, hasError: false })
    // Content-Type: text/plain is: no preflight
    expect(await plan({ method: 'POST', headers: { origin: APP, 'Content-Type': 'text/plain' } })).toEqual({ preflight: false, allowed: true, hasError: false })
  })

  test('explain() never touches the live middleware\'s RegExp state (lastIndex of a g RegExp)', async () => {
    for (const shape of ['regexp', 'list']) {
      const re = /^https:\/\/a\.example$/g
      const refRe = /^https:\/\/a\.example$/g
      const options = { origin: shape === 'regexp' ? re : ['https://b.example', re] }
      const live = rustCors(options)
      const ref = cors({ origin: shape === 'regexp' ? refRe : ['https://b.example', refRe] })
      const request = get('https://a.example')
      const explainRequest = { method: 'GET', headers: { origin: 'https://a.example' } }

      // explain before any request: lastIndex stays 0
      await rustCors.explain(options, explainRequest)
      expect([shape, re.lastIndex]).toEqual([shape, 0])
      for (let i = 0; i < 4; i++) {
        const expected = await http.send(ref, request)
        const actual = await http.send(live, request)
        expect([shape, i, actual]).toEqual([shape, i, expected])
        expect([shape, i, re.lastIndex]).toEqual([shape, i, refRe.lastIndex])
        const before = re.lastIndex
        await rustCors.explain(options, explainRequest)
        // a request the browser preflights
        await rustCors.explain(options, { method: 'DELETE', headers: { origin: 'https://a.example' } })
        expect([shape, i, 'after explain', re.lastIndex]).toEqual([shape, i, 'after explain', before])
      }
    }
  })
})

// -----------------------------------------------------------------------------
describe('Security: a pattern whose wildcard reaches a public suffix is an inert literal', () => {
  // [pattern, an attacker's origin the pattern would allow]
  const EXAMPLES = [
    ['https://*.de', 'https://evil.de'],
    ['https://*.com', 'https://evil.com'],
    ['https://*.co.uk', 'https://evil.co.uk'],
    ['https://*.amazonaws.com', 'https://attacker-bucket.s3.amazonaws.com'],
    ['https://*.core.windows.net', 'https://attacker.blob.core.windows.net'],
    ['https://*.railway.app', 'https://evil.up.railway.app'],
    ['https://*.github.io', 'https://attacker.github.io']
  ]

  test.each(EXAMPLES)('%s: the attacker %s is denied, and every answer is cors\'s', async (pattern, attacker) => {
    const requests = [get(attacker), preflight(attacker, 'DELETE', 'authorization'), get(pattern), get(APP), { method: 'POST', headers: { Origin: attacker } }]
    const all = []
    all.push(...await expectSameAsCors(staticOptions(() => ({ origin: [pattern] })), requests))
    all.push(...await expectSameAsCors(staticOptions(() => ({ origin: [APP, pattern], credentials: true })), requests))
    all.push(...await expectSameAsCors(staticOptions(() => ({ origin: [pattern, /^https:\/\/never\.example$/] })), requests))
    all.push(...await expectSameAsCors(staticOptions(() => ({ origin: pattern })), requests))
    all.push(...await expectSameAsCors(fromDelegate(() => ({ origin: [APP, pattern] })), requests))
    all.push(...await expectSameAsCors(fromOriginCallback(() => [pattern]), requests))
    all.push(...await expectSameAsCors(fromOriginCallback(() => pattern), requests))
    for (let i = 0; i < all.length; i += requests.length) {
      expect(header(all[i], 'Access-Control-Allow-Origin')).not.toBe(attacker)
      expect(header(all[i + 1], 'Access-Control-Allow-Origin')).not.toBe(attacker)
      expect(header(all[i + 4], 'Access-Control-Allow-Origin')).not.toBe(attacker)
    }
  })

  test.each(EXAMPLES)('%s: one RUST_CORS_INVALID_PATTERN warning (static and from an origin callback); strict: true throws it', (pattern, attacker) => {
    const staticRun = runInChild(`
      rustCors({ origin: ['${APP}', '${pattern}'] })
      result.strict = ${strictError(`{ origin: ['${APP}', '${pattern}'] }`)}
    `)
    expect(staticRun.warnings.filter((w) => w.code === 'RUST_CORS_INVALID_PATTERN')).toHaveLength(1)
    expect(staticRun.result.strict).toMatchObject({ type: 'TypeError', code: 'RUST_CORS_INVALID_PATTERN' })

    const callbackRun = runInChild(`
      const mw = rustCors({ origin: (origin, cb) => cb(null, ['${pattern}']) })
      result.acao = []
      for (let i = 0; i < 5; i++) {
        const res = mockResponse()
        mw(mockRequest('GET', { origin: '${attacker}' }), res, (err) => { result.acao.push(err ? 'next(err)' : String(res.getHeader('Access-Control-Allow-Origin'))) })
      }
    `)
    expect(callbackRun.result.acao).toEqual(Array(5).fill('undefined'))
    expect(callbackRun.warnings.filter((w) => w.code === 'RUST_CORS_INVALID_PATTERN')).toHaveLength(1)
  })

  test('a pattern under a registrable domain still works (the deliberate difference from cors), without a warning', () => {
    const { warnings, result } = runInChild(`
      const mw = rustCors({ origin: ['https://*.example.com'] })
      result.acao = ['https://a.example.com', 'https://a.b.example.com', 'https://example.com', 'https://evil.com'].map((origin) => {
        const res = mockResponse()
        mw(mockRequest('GET', { origin }), res, () => {})
        return res.getHeader('Access-Control-Allow-Origin') || null
      })
    `)
    expect(result.acao).toEqual(['https://a.example.com', 'https://a.b.example.com', null, null])
    expect(warnings.filter((w) => w.code === 'RUST_CORS_INVALID_PATTERN')).toEqual([])
  })
})

// -----------------------------------------------------------------------------
describe('Cache correctness', () => {
  test('origin values a cache key could confuse: [new String(\'x\'), \'https://b.com\'] then [new String(\'x,s13:https://b.com\')]', async () => {
    const first = () => [new String('x'), 'https://b.com'] // eslint-disable-line no-new-wrappers
    const second = () => [new String('x,s13:https://b.com')] // eslint-disable-line no-new-wrappers
    const alternate = () => {
      let n = 0
      return () => (n++ % 2 === 0 ? first() : second())
    }
    const requests = [get('https://b.com'), get('https://b.com'), get('https://b.com'), get('https://b.com')]
    const callback = () => {
      const next = alternate()
      return { options: { origin: (o, cb) => cb(null, next()) } }
    }
    const delegate = () => {
      const next = alternate()
      return { options: (req, cb) => cb(null, { origin: next() }) }
    }
    for (const scenario of [callback, delegate]) {
      const answers = await expectSameAsCors(scenario, requests)
      expect(answers.map((a) => header(a, 'Access-Control-Allow-Origin') || null)).toEqual(['https://b.com', null, 'https://b.com', null])
    }
  })

  // Requests cycle through these origins; `mutate(k)` runs before the k-th round.
  const ROUND = ['https://a.com', 'https://b.com', 'https://c.com', 'https://d.com', 'https://n1.com', 'https://n2.com', 'https://r.com', 'https://y.com', 'https://z.com', 'https://C.COM']
  function rounds (n) {
    const out = []
    for (let k = 0; k < n; k++) for (const origin of ROUND) out.push(get(origin))
    return out
  }
  // cors's verdicts must differ between rounds, or the test could not see a stale cache
  function expectRoundsDiffer (answers, n) {
    const verdicts = []
    for (let k = 0; k < n; k++) {
      verdicts.push(answers.slice(k * ROUND.length, (k + 1) * ROUND.length).map((a) => header(a, 'Access-Control-Allow-Origin') || '-').join(' '))
    }
    for (let k = 1; k < n; k++) expect([k, verdicts[k]]).not.toEqual([k, verdicts[k - 1]])
  }

  test('the same RegExp object changed between requests (re.compile, flags, own test/exec): delegate and origin callback follow it, like cors', async () => {
    const changes = (re) => (i) => {
      if (i % ROUND.length !== 0) return
      const k = i / ROUND.length
      if (k === 1) re.compile('^https://c\\.com$')
      if (k === 2) re.compile('^https://c\\.com$', 'i')
      if (k === 3) re.test = function (s) { return s === 'https://z.com' }
      if (k === 4) {
        delete re.test
        re.exec = function (s) { return s === 'https://y.com' ? [s] : null }
      }
      if (k === 5) {
        delete re.exec
        re.compile('^https://(a|d)\\.com$')
      }
    }
    const N = 6
    const shapes = {
      'delegate { origin: re }': (re) => (req, cb) => cb(null, { origin: re }),
      'delegate { origin: [re] } (fresh array)': (re) => (req, cb) => cb(null, { origin: ['https://n1.com', re] }),
      'delegate, async': (re) => (req, cb) => setImmediate(() => cb(null, { origin: re, credentials: true })),
      'origin callback → re': (re) => ({ origin: (o, cb) => cb(null, re) }),
      'origin callback → [re]': (re) => ({ origin: (o, cb) => cb(null, [re, 'https://n2.com']) })
    }
    for (const [label, shape] of Object.entries(shapes)) {
      const scenario = () => {
        const re = /^https:\/\/b\.com$/
        return { options: shape(re), beforeRequest: changes(re) }
      }
      const answers = await expectSameAsCors(scenario, rounds(N)).catch((e) => { throw new Error(label + ': ' + e.message) })
      expectRoundsDiffer(answers, N)
    }
  })

  test('an allow-list array mutated between requests (push, pop, replace, nested): delegate and origin callback follow it, like cors', async () => {
    const changes = (list, inner) => (i) => {
      if (i % ROUND.length !== 0) return
      const k = i / ROUND.length
      if (k === 1) list.push('https://c.com')
      if (k === 2) list.pop()
      if (k === 3) list[0] = 'https://d.com'
      if (k === 4) inner[0] = 'https://n2.com'
      if (k === 5) inner.push(/^https:\/\/r\.com$/)
      if (k === 6) inner.pop()
      if (k === 7) list.splice(1, 1, [['https://y.com']])
      if (k === 8) list[1][0][0] = 'https://z.com'
    }
    const N = 9
    const shapes = {
      'delegate { origin: list }': (list) => (req, cb) => cb(null, { origin: list }),
      'delegate { origin: list, maxAge } (async)': (list) => (req, cb) => setImmediate(() => cb(null, { origin: list, maxAge: 5 })),
      'origin callback → list': (list) => ({ origin: (o, cb) => cb(null, list) })
    }
    for (const [label, shape] of Object.entries(shapes)) {
      const scenario = () => {
        const inner = ['https://n1.com']
        const list = ['https://a.com', inner]
        return { options: shape(list), beforeRequest: changes(list, inner) }
      }
      const answers = await expectSameAsCors(scenario, rounds(N)).catch((e) => { throw new Error(label + ': ' + e.message) })
      expectRoundsDiffer(answers, N)
    }
  })

  const GETTER_VALUES = {
    origin: ['https://a.com', /^https:\/\/b\.com$/],
    methods: ['GET', 'PUT'],
    allowedHeaders: ['X-A'],
    exposedHeaders: ['X-E'],
    credentials: true,
    maxAge: 60,
    optionsSuccessStatus: 200,
    preflightContinue: false
  }
  const GETTER_REQUESTS = [get('https://a.com'), preflight('https://b.com', 'PUT', 'x-a'), get('https://a.com'), get('https://c.com'), preflight('https://a.com'), get('https://b.com')]

  function withGetters (values, reads) {
    const target = {}
    for (const [name, value] of Object.entries(values)) {
      Object.defineProperty(target, name, {
        enumerable: true,
        get () {
          reads[name] = (reads[name] || 0) + 1
          return typeof value === 'function' ? value() : value
        }
      })
    }
    return target
  }

  test('getters on a delegate\'s options are read as many times per request as cors reads them', async () => {
    for (const fresh of [false, true]) {
      const scenario = () => {
        const reads = {}
        const shared = withGetters(GETTER_VALUES, reads)
        const options = fresh ? (req, cb) => cb(null, withGetters(GETTER_VALUES, reads)) : (req, cb) => cb(null, shared)
        return { options, reads }
      }
      const ref = scenario()
      const mine = scenario()
      const refMw = cors(ref.options)
      const mineMw = rustCors(mine.options)
      for (let i = 0; i < GETTER_REQUESTS.length; i++) {
        const expected = await http.send(refMw, GETTER_REQUESTS[i])
        const actual = await http.send(mineMw, GETTER_REQUESTS[i])
        expect([fresh, i, actual]).toEqual([fresh, i, expected])
        expect([fresh, i, mine.reads]).toEqual([fresh, i, ref.reads])
      }
      // cors reads each option once per request
      expect(ref.reads.origin).toBe(GETTER_REQUESTS.length)
    }
  })

  test('a getter giving a different value on each request gets cors\'s answer every time', async () => {
    const cycle = (values) => {
      let n = 0
      return () => values[n++ % values.length]
    }
    const scenario = () => {
      const reads = {}
      const values = {
        origin: cycle([['https://a.com'], 'https://fixed.example', true, /^https:\/\/a\.com$/, ['https://b.com'], false]),
        credentials: cycle([true, false, true, true, false]),
        methods: cycle(['GET', ['PUT', 'PATCH'], '', 'DELETE']),
        maxAge: cycle([5, undefined, 0, '7']),
        exposedHeaders: cycle(['X-1', ['X-2', 'X-3'], ''])
      }
      const shared = withGetters(values, reads)
      return { options: (req, cb) => cb(null, shared) }
    }
    const requests = []
    for (let i = 0; i < 4; i++) requests.push(get('https://a.com'), preflight('https://a.com', 'PUT'), get('https://b.com'))
    const answers = await expectSameAsCors(scenario, requests)
    // sensitivity: the answers to the same request really change from one request to the next
    for (let kind = 0; kind < 3; kind++) {
      const sameRequest = answers.filter((a, i) => i % 3 === kind).map((a) => JSON.stringify(a.rawHeaders))
      expect(new Set(sameRequest).size).toBeGreaterThan(1)
    }
  })

  test('exact origins are compared as JS strings: a lone surrogate is not U+FFFD', () => {
    const lists = [
      ['https://a.example\uFFFD'],
      ['https://a.example\uFFFD', /^https:\/\/never\.example$/],
      ['https://a.example\uFFFD', 'https://*.example.com'],
      [/^https:\/\/never\.example$/, ['https://a.example\uFFFD'], 'https://x.example'],
      ['https://a.example\uD800', /^https:\/\/never\.example$/],
      ['https://a.example\uDC00\uD800', 'https://*.example.org']
    ]
    const origins = ['https://a.example\uD800', 'https://a.example\uDC00', 'https://a.example\uFFFD', 'https://a.example\uDC00\uD800', 'https://a.example\uFFFD\uFFFD']
    for (const list of lists) {
      for (const origin of origins) {
        const label = JSON.stringify([list.map(String), origin])
        const ref = runRecorded(cors({ origin: list }), 'GET', { origin })
        expect([label, 'static', runRecorded(rustCors({ origin: list }), 'GET', { origin })]).toEqual([label, 'static', ref])
        expect([label, 'callback', runRecorded(rustCors({ origin: (o, cb) => cb(null, list) }), 'GET', { origin })]).toEqual([label, 'callback', ref])
        expect([label, 'delegate', runRecorded(rustCors((req, cb) => cb(null, { origin: list })), 'GET', { origin })]).toEqual([label, 'delegate', ref])
        // the same middleware, asked twice (a verdict cache must not conflate them either)
        const mw = rustCors({ origin: list })
        for (const other of origins) runRecorded(mw, 'GET', { origin: other })
        expect([label, 'after others', runRecorded(mw, 'GET', { origin })]).toEqual([label, 'after others', ref])
      }
    }
    // and the denial the issue names, spelled out
    const denied = runRecorded(rustCors({ origin: ['https://a.example\uFFFD', /^https:\/\/never\.example$/] }), 'GET', { origin: 'https://a.example\uD800' })
    expect(denied.headers['access-control-allow-origin']).toBeUndefined()
  })
})

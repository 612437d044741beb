'use strict'

// `rust-cors check` follows redirects as a browser does, accepts response
// heads up to 256 KiB, and warns about a missing `Vary: Origin` only when
// Access-Control-Allow-Origin depends on the Origin. Run through the real
// command (bin/rust-cors.js); every server records what it receives.
// (__test__/check-browser.test.js compares the same situations with
// Chromium.)

const path = require('node:path')
const { execFile } = require('node:child_process')
const { listen, base, causeApps, configurableApp } = require('./helpers/cause-servers')

const BIN = path.join(__dirname, '..', 'bin', 'rust-cors.js')
const ORIGIN = 'http://app.test:5173'
const enc = encodeURIComponent

function runCli (args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 30000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

const codesOf = (stdout) => JSON.parse(stdout).problems.map((p) => p.code)

let api
let other
let redirectAll
const seen = { api: [], other: [] }

beforeAll(async () => {
  api = await listen(configurableApp({ record: (r) => seen.api.push(r) }))
  other = await listen(configurableApp({ record: (r) => seen.other.push(r) }))
  redirectAll = await listen(causeApps(ORIGIN).redirect)
})
beforeEach(() => { seen.api.length = 0; seen.other.length = 0 })
afterAll(() => Promise.all([api, other, redirectAll].map((s) => new Promise((resolve) => s.close(resolve)))))

const E = '/e?vary=Origin&acao=echo'

describe('redirects', () => {
  test('a redirected preflight is BLOCKED (exit 1) with PREFLIGHT_REDIRECT, and the actual request is not sent', async () => {
    const url = `${base(redirectAll)}/data`
    const r = await runCli(['check', url, '--origin', ORIGIN, '--method', 'PUT'])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^BLOCKED {2}PUT /)
    expect(r.stdout).toContain('error PREFLIGHT_REDIRECT (preflight)')
    expect(r.stdout).toContain('Redirect is not allowed for a preflight request (the OPTIONS request got 301 to https://api.example.com/data)')
    expect(r.stdout).toContain('actual     not sent')
    const j = await runCli(['check', url, '--origin', ORIGIN, '--method', 'PUT', '--json'])
    expect(j.code).toBe(1)
    expect(JSON.parse(j.stdout)).toMatchObject({ verdict: 'BLOCKED', actual: null, problems: [{ code: 'PREFLIGHT_REDIRECT', stage: 'preflight' }] })
  })

  test('a simple GET redirected without CORS headers on the 3xx fails at the redirect (a browser checks it before following)', async () => {
    const r = await runCli(['check', `${base(redirectAll)}/data`, '--origin', ORIGIN, '--json'])
    expect(r.code).toBe(1)
    const result = JSON.parse(r.stdout)
    expect(codesOf(r.stdout)).toEqual(['ORIGIN_NOT_ALLOWED'])
    expect(result.chain.map((e) => [e.stage, e.status])).toEqual([['actual', 301]])
    expect(result.notes.join('\n')).toContain('applies the CORS check to a redirect response before following it')
  })

  test('a same-origin hop keeps the Origin; the chain is shown, and under -v every exchange', async () => {
    const target = `${base(api)}/e?acao=echo&vary=Origin&final=1`
    const url = `${base(api)}${E}&redirect=${enc(target)}`
    const r = await runCli(['check', url, '--origin', ORIGIN, '-v'])
    expect(r.code).toBe(0)
    expect(seen.api.map((s) => [s.method, s.headers.origin])).toEqual([['GET', ORIGIN], ['GET', ORIGIN]])
    expect(r.stdout).toContain(`  actual     GET -> 302 to ${target}`)
    expect(r.stdout).toContain(`  actual     GET ${target} -> 200`)
    expect(r.stdout).toMatch(/note: redirect 1: 302 from .* \(the same origin\)/)
    expect(r.stderr.match(/^> GET \/e\?/gm)).toHaveLength(2)
    expect(r.stderr).toContain('* redirect 1: 302 from')
  })

  test('after a cross-origin hop the browser sends Origin: null; a target allowing the page origin is BLOCKED, with no advice to allow null', async () => {
    const target = `${base(other)}/e?vary=Origin&acao=${enc(ORIGIN)}`
    const url = `${base(api)}${E}&redirect=${enc(target)}`
    const r = await runCli(['check', url, '--origin', ORIGIN])
    expect(r.code).toBe(1)
    expect(seen.other.map((s) => s.headers.origin)).toEqual(['null'])
    expect(r.stdout).toContain(`error REDIRECT_TAINTED_ORIGIN (actual) at ${target}`)
    expect(r.stdout).toContain("not equal to the supplied origin 'null': the request was redirected from")
    expect(r.stdout).toContain('(Origin: null)')
    expect(r.stdout).toContain('do not allow the origin null')
    expect(r.stdout).not.toMatch(/add null|allowed origins/)
    // The same target echoing the Origin (so null) passes, as in a browser.
    const echo = await runCli(['check', `${base(api)}${E}&redirect=${enc(`${base(other)}${E}`)}`, '--origin', ORIGIN])
    expect(echo.code).toBe(0)
  })

  test('a redirected PUT (307) to another origin is preflighted there again, with Origin: null', async () => {
    const target = `${base(other)}/e?acao=echo&acam=PUT`
    const url = `${base(api)}${E}&acam=PUT&rstatus=307&redirect=${enc(target)}`
    const r = await runCli(['check', url, '--origin', ORIGIN, '--method', 'PUT', '--json'])
    expect(r.code).toBe(0)
    expect(seen.api.map((s) => s.method)).toEqual(['OPTIONS', 'PUT'])
    expect(seen.other.map((s) => [s.method, s.headers.origin])).toEqual([['OPTIONS', 'null'], ['PUT', 'null']])
    expect(JSON.parse(r.stdout).chain.map((e) => `${e.stage} ${e.method} ${e.status}`)).toEqual([
      'preflight OPTIONS 204', 'actual PUT 307', 'preflight OPTIONS 204', 'actual PUT 200'
    ])
  })

  test('POST 302 becomes GET without the body headers; Authorization is dropped across origins', async () => {
    const target = `${base(other)}/e?acao=echo&vary=Origin`
    const url = `${base(api)}${E}&acah=authorization&redirect=${enc(target)}`
    const r = await runCli(['check', url, '--origin', ORIGIN, '--method', 'POST', '--header', 'Content-Type: text/plain', '--header', 'Authorization: Bearer t'])
    expect(r.code).toBe(0)
    expect(seen.api.map((s) => s.method)).toEqual(['OPTIONS', 'POST'])
    expect(seen.other).toHaveLength(1)
    expect(seen.other[0].method).toBe('GET')
    expect(seen.other[0].headers['content-type']).toBeUndefined()
    expect(seen.other[0].headers.authorization).toBeUndefined()
    expect(r.stdout).toContain('the method becomes GET (was POST)')
    expect(r.stdout).toContain('the Authorization header is removed')
  })

  test('network errors in the chain: a URL with credentials, more than 20 redirects', async () => {
    const withUser = `${base(other).replace('://', '://u:p@')}/e?acao=echo`
    const a = await runCli(['check', `${base(api)}${E}&redirect=${enc(withUser)}`, '--origin', ORIGIN, '--json'])
    expect(a.code).toBe(1)
    expect(codesOf(a.stdout)).toEqual(['REDIRECT_WITH_CREDENTIALS'])
    expect(seen.other).toHaveLength(0)
    seen.api.length = 0
    const b = await runCli(['check', `${base(api)}${E}&loop=1`, '--origin', ORIGIN, '--json'])
    expect(b.code).toBe(1)
    expect(codesOf(b.stdout)).toEqual(['REDIRECT_LIMIT'])
    expect(seen.api).toHaveLength(21)
  })
})

describe('response heads', () => {
  test('a 200 KB head is read (Node alone stops at 16 KB); over 256 KiB fails as in a browser', async () => {
    const ok = await runCli(['check', `${base(api)}${E}&big=200000`, '--origin', ORIGIN])
    expect(ok.stderr).toBe('')
    expect(ok.code).toBe(0)
    const tooBig = await runCli(['check', `${base(api)}${E}&big=300000`, '--origin', ORIGIN])
    expect(tooBig.code).toBe(2)
    expect(tooBig.stderr).toContain('a response head over 256 KiB; a browser rejects it too')
  })
})

describe('Vary: Origin', () => {
  test('no warning when Access-Control-Allow-Origin is a constant; -v says how that was found', async () => {
    const url = `${base(api)}/e?acao=${enc(ORIGIN)}`
    const r = await runCli(['check', url, '--origin', ORIGIN, '-v', '--json'])
    expect(r.code).toBe(0)
    expect(codesOf(r.stdout)).toEqual([])
    expect(seen.api.map((s) => s.headers.origin)).toEqual([ORIGIN, 'https://rust-cors-check.invalid'])
    expect(r.stderr).toContain('* not a browser request: the same GET with Origin: https://rust-cors-check.invalid')
    expect(r.stderr).toContain('is the same for another origin (a constant), so no Vary: Origin is needed')
  })

  test('a warning when it echoes the Origin without Vary', async () => {
    const r = await runCli(['check', `${base(api)}/e?acao=echo`, '--origin', ORIGIN, '--json'])
    expect(r.code).toBe(0)
    expect(codesOf(r.stdout)).toEqual(['MISSING_VARY_ORIGIN'])
    expect(JSON.parse(r.stdout).notes.join('\n')).toContain("another origin got 'https://rust-cors-check.invalid'")
  })

  test('with Vary: Origin no extra request is sent', async () => {
    const r = await runCli(['check', `${base(api)}${E}`, '--origin', ORIGIN])
    expect(r.code).toBe(0)
    expect(seen.api).toHaveLength(1)
  })

  test('--no-vary-probe: no extra request; the warning says the dependence on the Origin was not checked', async () => {
    for (const acao of ['echo', enc(ORIGIN)]) {
      seen.api.length = 0
      const r = await runCli(['check', `${base(api)}/e?acao=${acao}`, '--origin', ORIGIN, '--no-vary-probe', '--json'])
      expect(r.code).toBe(0)
      expect(seen.api.map((s) => s.headers.origin)).toEqual([ORIGIN])
      const { problems } = JSON.parse(r.stdout)
      expect(problems.map((p) => p.code)).toEqual(['MISSING_VARY_ORIGIN'])
      expect(problems[0].message).toContain('Whether the value depends on the Origin was not checked (--no-vary-probe).')
    }
    // The text output says the same; --help documents the probe and the flag.
    const text = await runCli(['check', `${base(api)}/e?acao=echo`, '--origin', ORIGIN, '--no-vary-probe'])
    expect(text.stdout).toContain('was not checked (--no-vary-probe)')
    const help = await runCli(['check', '--help'])
    expect(help.stdout).toContain('Origin: https://rust-cors-check.invalid')
    expect(help.stdout).toMatch(/--no-vary-probe {8}never send the extra request/)
  })
})

'use strict'

// `rust-cors check --cases FILE`, the deploy gate: against the demo server
// (examples/server.js, run as a child process like `npm start`), a file of
// passing and failing cases. One line per case, a summary that counts them,
// and exit 1 exactly when a verdict differs from the expected one.

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn, execFile } = require('node:child_process')

const ROOT = path.join(__dirname, '..')
const BIN = path.join(ROOT, 'bin', 'rust-cors.js')

function runCli (args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 60000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

let demo
let baseUrl
let dir

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-cors-cases-'))
  demo = spawn(process.execPath, [path.join(ROOT, 'examples', 'server.js')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  baseUrl = await new Promise((resolve, reject) => {
    let text = ''
    demo.stdout.on('data', (chunk) => {
      text += chunk
      const m = /on (http:\/\/127\.0\.0\.1:\d+)\/data/.exec(text)
      if (m) resolve(m[1])
    })
    demo.on('exit', (code) => reject(new Error(`the demo server exited (${code})`)))
  })
})

afterAll(() => {
  if (demo) demo.kill()
  fs.rmSync(dir, { recursive: true, force: true })
})

// What the demo allows: http://localhost:5173 and https://*.example.com,
// GET/POST/PUT/DELETE, Content-Type and Authorization, credentials.
const PASSING = [
  { name: 'list items', url: '/data', expect: 'PASS' },
  { name: 'create an item (JSON)', url: '/data', method: 'POST', headers: { 'Content-Type': 'application/json' }, expect: 'PASS' },
  { name: 'from a subdomain, with a token', url: '/data', origin: 'https://app.example.com', method: 'PUT', headers: ['Content-Type', 'Authorization: Bearer t'], expect: 'PASS' }
]
const FAILING = [
  { name: 'a header the API does not allow', url: '/data', method: 'POST', headers: [['X-Request-Id', '1']], expect: 'BLOCKED' },
  { name: 'an unknown origin', url: '/data', origin: 'https://evil.test', expect: 'BLOCKED' },
  { name: 'PATCH is not allowed', url: '/data', method: 'PATCH', expect: 'BLOCKED' }
]

function writeCases (name, cases, extra = {}) {
  const file = path.join(dir, name)
  fs.writeFileSync(file, JSON.stringify({ baseUrl, defaults: { origin: 'http://localhost:5173', credentials: true }, ...extra, cases }, null, 2))
  return file
}

test('every verdict as expected (passing and failing cases): exit 0, one line per case, a summary', async () => {
  const file = writeCases('ok.json', [...PASSING, ...FAILING])
  const r = await runCli(['check', '--cases', file])
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  const lines = r.stdout.trim().split('\n')
  expect(lines.slice(0, 6)).toEqual([
    'ok    PASS     list items',
    'ok    PASS     create an item (JSON)',
    'ok    PASS     from a subdomain, with a token',
    'ok    BLOCKED  a header the API does not allow',
    'ok    BLOCKED  an unknown origin',
    'ok    BLOCKED  PATCH is not allowed'
  ])
  expect(lines[lines.length - 1]).toBe('6 cases (3 PASS, 3 BLOCKED): 6 as expected, every verdict as expected')
})

test('a verdict that differs from the expected one: exit 1, the case says why, the summary counts it', async () => {
  const wrong = [
    ...PASSING,
    { ...FAILING[0], expect: 'PASS' },
    FAILING[1],
    { ...PASSING[0], name: 'list items, expected blocked', expect: 'BLOCKED' }
  ]
  const file = writeCases('wrong.json', wrong)
  const r = await runCli(['check', '--cases', file])
  expect(r.code).toBe(1)
  expect(r.stdout).toContain('FAIL  BLOCKED  a header the API does not allow\n      expected PASS, got BLOCKED: POST ')
  expect(r.stdout).toContain('      HEADER_NOT_ALLOWED (preflight): Request header field X-Request-Id is not allowed')
  expect(r.stdout).toContain('FAIL  PASS     list items, expected blocked\n      expected BLOCKED, got PASS')
  expect(r.stdout).toContain('the browser would allow it')
  expect(r.stdout.trim().split('\n').pop()).toBe('6 cases (4 PASS, 2 BLOCKED): 4 as expected, 2 not as expected')

  const j = await runCli(['check', '--cases', file, '--json'])
  expect(j.code).toBe(1)
  const parsed = JSON.parse(j.stdout)
  expect(parsed.summary).toEqual({ total: 6, asExpected: 4, unexpected: 2, pass: 4, blocked: 2, error: 0 })
  expect(parsed.cases.map((c) => c.asExpected)).toEqual([true, true, true, false, true, false])
  expect(parsed.cases[3]).toMatchObject({ expect: 'PASS', verdict: 'BLOCKED', problems: [{ code: 'HEADER_NOT_ALLOWED', stage: 'preflight' }] })
})

test('a JS module (CommonJS and ESM), --base-url and the command-line defaults', async () => {
  const cjs = path.join(dir, 'cases.cjs')
  fs.writeFileSync(cjs, `module.exports = ${JSON.stringify([...PASSING, ...FAILING])}\n`)
  const r = await runCli(['check', '--cases', cjs, '--base-url', baseUrl, '--origin', 'http://localhost:5173', '--credentials'])
  expect(r.code).toBe(0)
  expect(r.stdout).toContain('6 as expected')
  const mjs = path.join(dir, 'cases.mjs')
  fs.writeFileSync(mjs, `export default { baseUrl: ${JSON.stringify(baseUrl)}, defaults: { origin: 'http://localhost:5173' }, cases: ${JSON.stringify([{ ...FAILING[1], expect: 'PASS' }])} }\n`)
  const m = await runCli(['check', '--cases', mjs])
  expect(m.code).toBe(1)
  expect(m.stdout).toContain('1 cases (0 PASS, 1 BLOCKED): 0 as expected, 1 not as expected')
})

test('command-line flags override the file\'s defaults (as --base-url overrides baseUrl); a case\'s own field wins', async () => {
  const file = path.join(dir, 'override.json')
  fs.writeFileSync(file, JSON.stringify({
    baseUrl: 'http://127.0.0.1:9',
    defaults: { origin: 'https://evil.test', method: 'PATCH', credentials: false },
    cases: [
      { name: 'from the flags', url: '/data', expect: 'PASS' },
      { name: 'its own origin', url: '/data', origin: 'https://evil.test', expect: 'BLOCKED' },
      { name: 'its own method', url: '/data', method: 'PATCH', expect: 'BLOCKED' }
    ]
  }))
  const withFlags = await runCli(['check', '--cases', file, '--base-url', baseUrl, '--origin', 'http://localhost:5173', '--method', 'PUT', '--credentials', '--json'])
  expect(withFlags.stderr).toBe('')
  expect(withFlags.code).toBe(0)
  const { cases } = JSON.parse(withFlags.stdout)
  expect(cases.map((c) => [c.origin, c.method, c.credentials, c.verdict])).toEqual([
    ['http://localhost:5173', 'PUT', true, 'PASS'],
    ['https://evil.test', 'PUT', true, 'BLOCKED'],
    ['http://localhost:5173', 'PATCH', true, 'BLOCKED']
  ])
  // Without the flags the file's defaults apply: evil.test, PATCH.
  const plain = await runCli(['check', '--cases', file, '--base-url', baseUrl, '--json'])
  expect(plain.code).toBe(1)
  expect(JSON.parse(plain.stdout).cases.map((c) => [c.origin, c.method, c.credentials, c.verdict])).toEqual([
    ['https://evil.test', 'PATCH', false, 'BLOCKED'],
    ['https://evil.test', 'PATCH', false, 'BLOCKED'],
    ['https://evil.test', 'PATCH', false, 'BLOCKED']
  ])
})

test('an unreachable server is an ERROR that counts as unexpected (exit 1)', async () => {
  const file = writeCases('down.json', [PASSING[0], { name: 'down', url: 'http://127.0.0.1:9/data', expect: 'PASS' }])
  const r = await runCli(['check', '--cases', file])
  expect(r.code).toBe(1)
  expect(r.stdout).toContain('FAIL  ERROR    down')
  expect(r.stdout).toContain('connection refused by 127.0.0.1:9')
  expect(r.stdout).toContain('2 cases (1 PASS, 0 BLOCKED, 1 ERROR): 1 as expected, 1 not as expected')
})

test.each([
  ['not JSON', 'bad.json', '{', /not valid JSON/],
  ['no cases', 'empty.json', '[]', /no cases/],
  ['no expect', 'noexpect.json', JSON.stringify([{ url: 'http://127.0.0.1:1/', origin: 'http://a.test' }]), /cases\[0\]: expect must be "PASS" or "BLOCKED"/],
  ['a relative URL without a base', 'relative.json', JSON.stringify([{ url: '/data', origin: 'http://a.test', expect: 'PASS' }]), /needs --base-url or baseUrl/],
  ['no origin', 'noorigin.json', JSON.stringify([{ url: 'http://127.0.0.1:1/', expect: 'PASS' }]), /origin is required/],
  ['a typo', 'typo.json', JSON.stringify([{ url: 'http://127.0.0.1:1/', origin: 'http://a.test', expect: 'PASS', header: {} }]), /unknown field header/],
  ['bad headers', 'headers.json', JSON.stringify([{ url: 'http://127.0.0.1:1/', origin: 'http://a.test', expect: 'PASS', headers: [42] }]), /cases\[0\]\.headers: item 0/]
])('a file that cannot be used: exit 2 (%s)', async (title, name, content, message) => {
  const file = path.join(dir, name)
  fs.writeFileSync(file, content)
  const r = await runCli(['check', '--cases', file])
  expect(r.code).toBe(2)
  expect(r.stdout).toBe('')
  expect(r.stderr).toMatch(message)
})

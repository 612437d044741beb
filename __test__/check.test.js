'use strict'

// `rust-cors check`: one local server per cause of a CORS failure (plus
// correct ones), checked by running the real command (bin/rust-cors.js) as a
// child process. Asserts the verdict line, the problem codes, the exit status,
// and that --json says the same as the text.

const path = require('node:path')
const { execFile } = require('node:child_process')
const { main } = require('../lib/cli/main')
const { parseArgs } = require('../lib/cli/check')
const { UsageError } = require('../lib/cli/args')

const BIN = path.join(__dirname, '..', 'bin', 'rust-cors.js')
const ORIGIN = 'http://app.test:5173'

const { listen, base, causeApps } = require('./helpers/cause-servers')

// The cases: [title, app, path, flags, verdict, codes].
const CASES = [
  ['no CORS at all: preflight 404', 'noCors', '/data', ['--method', 'POST', '--header', 'Content-Type'], 'BLOCKED',
    ['NO_CORS_HEADERS_ON_PREFLIGHT', 'PREFLIGHT_NOT_OK']],
  ['no CORS at all: simple GET', 'noCors', '/', [], 'BLOCKED', ['ORIGIN_NOT_ALLOWED']],
  ['* with credentials: simple GET', 'wildcardCredentials', '/data', ['--credentials'], 'BLOCKED', ['WILDCARD_WITH_CREDENTIALS']],
  ['* with credentials: PUT preflight', 'wildcardCredentials', '/data', ['--method', 'PUT', '--credentials'], 'BLOCKED', ['WILDCARD_WITH_CREDENTIALS']],
  ['* without credentials is fine', 'wildcardCredentials', '/data', ['--method', 'PUT', '--header', 'Content-Type'], 'PASS', []],
  ['methods: [GET] and a PUT', 'getOnly', '/data', ['--method', 'PUT'], 'BLOCKED', ['METHOD_NOT_ALLOWED']],
  ['methods: [GET] and a GET', 'getOnly', '/data', [], 'PASS', []],
  ['allowedHeaders without X-Custom', 'otherHeader', '/data', ['--method', 'POST', '--header', 'X-Custom: 1'], 'BLOCKED', ['HEADER_NOT_ALLOWED']],
  ['Access-Control-Allow-Origin twice: GET', 'doubleOrigin', '/data', [], 'BLOCKED', ['MULTIPLE_ALLOW_ORIGIN']],
  ['Access-Control-Allow-Origin twice: preflight', 'doubleOrigin', '/data', ['--method', 'PUT'], 'BLOCKED', ['MULTIPLE_ALLOW_ORIGIN']],
  ['no Vary: Origin (a warning)', 'noVary', '/data', [], 'PASS', ['MISSING_VARY_ORIGIN']],
  ['correct rust-cors', 'rustCors', '/data', ['--method', 'PUT', '--header', 'Content-Type', '--header', 'Authorization', '--credentials'], 'PASS', []],
  ['correct rust-cors, simple GET', 'rustCors', '/data', ['--credentials'], 'PASS', []],
  ['correct rust-cors, another origin', 'rustCors', '/data', ['--method', 'PUT', '--origin', 'http://evil.test'], 'BLOCKED', ['ORIGIN_NOT_ALLOWED']],
  ['correct cors', 'cors', '/data', ['--method', 'PUT', '--header', 'Content-Type', '--header', 'Authorization', '--credentials'], 'PASS', []],
  ['correct cors, another origin', 'cors', '/data', ['--method', 'DELETE', '--origin', 'http://evil.test'], 'BLOCKED', ['ORIGIN_NOT_ALLOWED']]
]

function runCli (args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 30000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0
      resolve({ code, stdout, stderr })
    })
  })
}

// Problem codes from the text output ("error CODE (stage)" lines).
function textCodes (stdout) {
  return stdout.split('\n').map((l) => /^(?:error|warning) ([A-Z_]+) \((?:preflight|actual)\)$/.exec(l)).filter(Boolean).map((m) => m[1])
}

function withOrigin (flags) {
  return flags.includes('--origin') ? flags : [...flags, '--origin', ORIGIN]
}

const servers = {}

beforeAll(async () => {
  const apps = causeApps(ORIGIN)
  for (const [name, app] of Object.entries(apps)) servers[name] = await listen(app)
})

afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => new Promise((resolve) => s.close(resolve))))
})

describe('rust-cors check against one server per cause', () => {
  test.each(CASES)('%s', async (title, app, urlPath, flags, verdict, codes) => {
    const url = base(servers[app]) + urlPath
    const args = ['check', url, ...withOrigin(flags)]
    const [text, json] = await Promise.all([runCli(args), runCli([...args, '--json'])])

    expect(text.stderr).toBe('')
    expect(text.stdout.split('\n')[0]).toMatch(new RegExp(`^${verdict}\\b`))
    expect(textCodes(text.stdout)).toEqual(codes)
    expect(text.code).toBe(verdict === 'PASS' ? 0 : 1)

    expect(json.code).toBe(text.code)
    const parsed = JSON.parse(json.stdout)
    expect(parsed.verdict).toBe(verdict)
    expect(parsed.problems.map((p) => p.code)).toEqual(codes)
    for (const p of parsed.problems) {
      expect(['error', 'warning']).toContain(p.severity)
      expect(typeof p.message).toBe('string')
      expect(typeof p.fix).toBe('string')
      // The text output carries the same message and fix.
      expect(text.stdout).toContain(`  ${p.message}\n  fix: ${p.fix}\n`)
    }
    // A blocked preflight stops there, as in a browser.
    if (parsed.preflight && parsed.problems.some((p) => p.stage === 'preflight' && p.severity === 'error')) {
      expect(parsed.actual).toBeNull()
      expect(text.stdout).toMatch(/the actual [A-Z]+ request was not sent/)
    } else {
      expect(parsed.actual).not.toBeNull()
      expect(typeof parsed.actual.status).toBe('number')
    }
  })
})

describe('the requests the command sends', () => {
  let seen
  let server
  beforeAll(async () => {
    server = await listen((req, res) => {
      seen.push({ method: req.method, headers: req.headers })
      res.setHeader('Access-Control-Allow-Origin', req.headers.origin)
      res.setHeader('Access-Control-Allow-Methods', 'PATCH')
      res.setHeader('Access-Control-Allow-Headers', 'content-type, x-b, x-a')
      res.setHeader('Vary', 'Origin')
      res.statusCode = req.method === 'OPTIONS' ? 204 : 200
      res.end()
    })
  })
  beforeEach(() => { seen = [] })
  afterAll(() => new Promise((resolve) => server.close(resolve)))

  test('a preflight like a browser\'s, then the actual request with the headers', async () => {
    const r = await runCli(['check', base(server) + '/x?y=1', '--origin', ORIGIN, '--method', 'PATCH',
      '--header', 'X-B: 2', '--header', 'x-a', '--header', 'Content-Type', '--header', 'Accept-Language: de'])
    expect(r.code).toBe(0)
    expect(seen.map((s) => s.method)).toEqual(['OPTIONS', 'PATCH'])
    const [pre, actual] = seen
    expect(pre.headers.origin).toBe(ORIGIN)
    expect(pre.headers['access-control-request-method']).toBe('PATCH')
    // lower-cased, sorted, de-duplicated, safelisted ones left out
    expect(pre.headers['access-control-request-headers']).toBe('content-type,x-a,x-b')
    expect(pre.headers['x-b']).toBeUndefined()
    expect(actual.headers.origin).toBe(ORIGIN)
    expect(actual.headers['x-b']).toBe('2')
    expect(actual.headers['x-a']).toBe('placeholder')
    expect(actual.headers['content-type']).toBe('application/json')
    expect(actual.headers['accept-language']).toBe('de')
  })

  test('no Access-Control-Request-Headers when all headers are safelisted', async () => {
    const r = await runCli(['check', base(server) + '/', '--origin', ORIGIN, '--method', 'PATCH', '--header', 'Content-Type: text/plain'])
    expect(r.code).toBe(0)
    expect(seen[0].method).toBe('OPTIONS')
    expect(seen[0].headers['access-control-request-headers']).toBeUndefined()
  })

  test('no preflight where a browser sends none', async () => {
    const r = await runCli(['check', base(server) + '/', '--origin', ORIGIN, '--method', 'post', '--header', 'Content-Type: text/plain;charset=UTF-8'])
    expect(r.code).toBe(0)
    expect(seen.map((s) => s.method)).toEqual(['POST'])
    expect(r.stdout).toMatch(/preflight {2}none/)
  })

  test('--preflight-only sends the preflight only', async () => {
    const r = await runCli(['check', base(server) + '/', '--origin', ORIGIN, '--method', 'PATCH', '--preflight-only'])
    expect(r.code).toBe(0)
    expect(seen.map((s) => s.method)).toEqual(['OPTIONS'])
    expect(r.stdout).toMatch(/^PASS/)
    expect(r.stdout).toContain('not sent (--preflight-only)')
    // Nothing to check when a browser sends no preflight.
    const g = await runCli(['check', base(server) + '/', '--origin', ORIGIN, '--preflight-only'])
    expect(g.code).toBe(2)
    expect(g.stderr).toContain('a browser sends no preflight for GET')
    expect(seen.map((s) => s.method)).toEqual(['OPTIONS'])
  })

  test('-v prints the exchanges like curl -v, on stderr', async () => {
    const r = await runCli(['check', base(server) + '/v', '--origin', ORIGIN, '--method', 'PATCH', '-v'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^PASS/)
    expect(r.stderr).toMatch(/^> OPTIONS \/v HTTP\/1\.1$/m)
    expect(r.stderr).toMatch(/^> Access-Control-Request-Method: PATCH$/m)
    expect(r.stderr).toMatch(/^< HTTP\/1\.1 204 No Content$/m)
    expect(r.stderr).toMatch(/^> PATCH \/v HTTP\/1\.1$/m)
    expect(r.stderr).toMatch(/^< HTTP\/1\.1 200 OK$/m)
    expect(r.stderr).toMatch(/^< Access-Control-Allow-Origin: http:\/\/app\.test:5173$/m)
  })
})

describe('network and usage errors: exit 2', () => {
  test('connection refused', async () => {
    const s = await listen(() => {})
    const port = s.address().port
    await new Promise((resolve) => s.close(resolve))
    const r = await runCli(['check', `http://127.0.0.1:${port}/data`, '--origin', ORIGIN, '--method', 'PUT'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/connection refused by 127\.0\.0\.1:\d+/)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  })

  test('a timeout', async () => {
    const sockets = new Set()
    const s = await listen(() => {})
    s.on('connection', (c) => sockets.add(c))
    const r = await runCli(['check', base(s) + '/', '--origin', ORIGIN, '--timeout', '300'])
    for (const c of sockets) c.destroy()
    await new Promise((resolve) => s.close(resolve))
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/no response from 127\.0\.0\.1:\d+ within 300 ms/)
  })

  test('not HTTP at all', async () => {
    const net = require('node:net')
    const sockets = new Set()
    const s = net.createServer((c) => { sockets.add(c); c.end('SSH-2.0-OpenSSH_9.6\r\n') })
    await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve))
    const r = await runCli(['check', `http://127.0.0.1:${s.address().port}/`, '--origin', ORIGIN])
    for (const c of sockets) c.destroy()
    await new Promise((resolve) => s.close(resolve))
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^rust-cors check: the actual request \(GET\) failed: 127\.0\.0\.1:\d+ answered with something that is not HTTP/)
  })

  test.each([
    [['check'], /missing <url>/],
    [['check', 'http://127.0.0.1:1/'], /missing --origin/],
    [['check', 'ftp://x/', '--origin', ORIGIN], /only http: and https:/],
    [['check', 'not a url', '--origin', ORIGIN], /is not a URL/],
    [['check', 'http://127.0.0.1:1/', '--origin', 'http://localhost:5173/'], /did you mean http:\/\/localhost:5173\?/],
    [['check', 'http://127.0.0.1:1/', '--origin', ORIGIN, '--header', 'Bad Name: 1'], /is not a header name/],
    [['check', 'http://127.0.0.1:1/', '--origin', ORIGIN, '--header', 'Origin: x'], /use --origin/],
    [['check', 'http://127.0.0.1:1/', '--origin', ORIGIN, '--timeout', 'soon'], /--timeout/],
    [['check', 'http://127.0.0.1:1/', '--origin', ORIGIN, '--bogus'], /unknown option --bogus/],
    [['check', 'http://127.0.0.1:1/', '--origin'], /--origin needs a value/]
  ])('usage error %j: the problem in one line, then a short usage', async (args, message) => {
    const r = await runCli(args)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    const lines = r.stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^rust-cors check: /)
    expect(lines[0]).toMatch(message)
    expect(lines[1]).toBe('Usage: rust-cors check <url> --origin <origin> [options] | --cases <file> [options]   (rust-cors check --help for more)')
  })

  test('a method fetch() refuses (TRACE): exit 2 before anything is sent', async () => {
    const r = await runCli(['check', 'http://127.0.0.1:1/', '--origin', ORIGIN, '--method', 'trace'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe('rust-cors check: fetch() refuses the method trace (a forbidden method), so no browser can send it\n')
  })

  test('--help', async () => {
    const r = await runCli(['check', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Usage: rust-cors check/)
  })
})

describe('in process', () => {
  function io () {
    const o = { out: '', err: '' }
    o.stdout = { write: (s) => { o.out += s } }
    o.stderr = { write: (s) => { o.err += s } }
    return o
  }

  test('main() returns the exit status and writes to the given streams', async () => {
    const a = io()
    expect(await main(['check', base(servers.getOnly) + '/data', '--origin', ORIGIN, '--method', 'DELETE'], a)).toBe(1)
    expect(a.out).toMatch(/^BLOCKED {2}DELETE /)
    expect(textCodes(a.out)).toEqual(['METHOD_NOT_ALLOWED'])
    expect(a.err).toBe('')
    const b = io()
    expect(await main(['check', base(servers.rustCors) + '/data', '--origin', ORIGIN, '--method', 'put', '--json'], b)).toBe(0)
    expect(JSON.parse(b.out).verdict).toBe('PASS')
  })

  test('parseArgs', () => {
    const o = parseArgs(['https://api.example.com/x#frag', '--origin=https://app.example.com', '-X', 'PATCH',
      '-H', 'Authorization', '-H', 'X-Id:  42 ', '--credentials', '--timeout', '500'])
    expect(o.url.href).toBe('https://api.example.com/x')
    expect(o).toMatchObject({
      origin: 'https://app.example.com',
      method: 'PATCH',
      headers: [['Authorization', 'Bearer placeholder-token'], ['X-Id', '42']],
      credentials: true,
      timeout: 500,
      json: false,
      verbose: false
    })
    expect(parseArgs(['http://a/', '--origin', 'null']).origin).toBe('null')
    expect(parseArgs(['http://a/', '--origin', 'null']).method).toBe('GET')
    expect(() => parseArgs(['http://a/', '--origin', 'HTTP://A.test'])).toThrow(UsageError)
  })
})

'use strict'

// `rust-cors check` against real servers, each verdict compared with
// headless Chromium's fetch() from a page on another origin:
// - Debian's nginx as a reverse proxy in front of a small Node upstream,
//   configured as the tutorial's section 3 (`add_header ... always`,
//   `if ($request_method = OPTIONS) { return 204; }` before `proxy_pass`)
//   and with its classic traps (no `always`, `add_header` inside `if` or a
//   nested location, `map` matching case-insensitively, both layers
//   answering), plus redirects;
// - Flask + Flask-CORS from PyPI (a venv the setup creates), the tutorial's
//   section 4 app (`CORS(app, resources={r"/api/*": {"origins": [...]}},
//   supports_credentials=True)`) and variations, plus redirects.
// The pages: http://127.0.0.1:P (the allowed origin) and http://localhost:P
// (another origin, same server). Missing nginx, Chromium or Python: the
// part is skipped with a printed reason.

const http = require('node:http')
const { chromiumPath, describeBrowser, launch } = require('./helpers/chromium')
const { missingReason: nginxMissing, startNginx } = require('./helpers/nginx-server')
const { ensureFlask, startFlask, versions } = require('./helpers/flask')
const { describeUnless } = require('./helpers/require-all')
const { commandVerdict, browserVerdict } = require('./helpers/compare')

jest.setTimeout(600000)

function listen (handler) {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler)
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

// The application behind nginx: JSON on /api/*, 401 on .../private, 500 on
// .../broken, its own OPTIONS answer without CORS headers (as a framework
// gives), and on /both/* its own CORS headers too (CORS in both layers).
function upstream (req, res) {
  const { pathname } = new URL(req.url, 'http://upstream')
  if (pathname.startsWith('/both/') && req.headers.origin) {
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin)
    res.setHeader('Vary', 'Origin')
  }
  if (req.method === 'OPTIONS') {
    res.statusCode = 204
    return res.end()
  }
  res.statusCode = pathname.endsWith('/private') ? 401 : pathname.endsWith('/broken') ? 500 : 200
  res.setHeader('Content-Type', 'application/json')
  res.end(JSON.stringify({ path: pathname }))
}

// The CORS headers of the tutorial's section 3, for the allowed origin.
const CORS_HEADERS = `
      add_header Access-Control-Allow-Origin $cors_origin always;
      add_header Access-Control-Allow-Credentials "true" always;
      add_header Access-Control-Allow-Methods "GET, POST, PUT, DELETE, OPTIONS" always;
      add_header Access-Control-Allow-Headers "Content-Type, Authorization" always;
      add_header Access-Control-Max-Age 600 always;
      add_header Vary Origin always;`

function nginxHttp ({ page, other, upstreamPort }) {
  return `
  map $http_origin $cors_origin {
    default "";
    "${page}" $http_origin;
  }
  # The map trap: string keys match case-insensitively, so this entry
  # (written in upper case) matches the real, lower-case origin.
  map $http_origin $cors_origin_literal {
    default "";
    "${other.toUpperCase()}" "${other.toUpperCase()}";
  }
  map $http_origin $cors_origin_echo {
    default "";
    "${other.toUpperCase()}" $http_origin;
  }
  upstream app { server 127.0.0.1:${upstreamPort}; }
  server {
    listen 127.0.0.1:PORT;

    # Section 3: CORS in the proxy, the preflight answered by nginx.
    location /s3/ {
      if ($request_method = OPTIONS) { return 204; }
      ${CORS_HEADERS}
      proxy_pass http://app/api/;
    }

    # Trap: without "always" the headers vanish on 4xx and 5xx.
    location /noalways/ {
      if ($request_method = OPTIONS) { return 204; }
      add_header Access-Control-Allow-Origin $cors_origin;
      add_header Access-Control-Allow-Methods "GET, POST, PUT, DELETE";
      add_header Access-Control-Allow-Headers "Content-Type, Authorization";
      add_header Vary Origin;
      proxy_pass http://app/api/;
    }

    # Trap: an add_header inside "if" drops every outer add_header there.
    location /ifadd/ {
      ${CORS_HEADERS}
      if ($request_method = OPTIONS) {
        add_header Access-Control-Max-Age 600 always;
        return 204;
      }
      proxy_pass http://app/api/;
    }

    # Trap: a nested location with its own add_header drops the outer ones.
    location /nested/ {
      if ($request_method = OPTIONS) { return 204; }
      ${CORS_HEADERS}
      location /nested/upload/ {
        add_header X-Upload-Limit 10m always;
        proxy_pass http://app/api/upload/;
      }
      proxy_pass http://app/api/;
    }

    # Trap: map matched case-insensitively, the browser compares exactly.
    location /mapliteral/ {
      if ($request_method = OPTIONS) { return 204; }
      add_header Access-Control-Allow-Origin $cors_origin_literal always;
      add_header Access-Control-Allow-Methods "GET, PUT" always;
      add_header Vary Origin always;
      proxy_pass http://app/api/;
    }
    location /mapecho/ {
      if ($request_method = OPTIONS) { return 204; }
      add_header Access-Control-Allow-Origin $cors_origin_echo always;
      add_header Access-Control-Allow-Methods "GET, PUT" always;
      add_header Vary Origin always;
      proxy_pass http://app/api/;
    }

    # Trap: CORS in both layers, two Access-Control-Allow-Origin values.
    location /both/ {
      if ($request_method = OPTIONS) { return 204; }
      ${CORS_HEADERS}
      proxy_pass http://app/both/;
    }
    # The same with the upstream's header hidden.
    location /hidden/ {
      if ($request_method = OPTIONS) { return 204; }
      ${CORS_HEADERS}
      proxy_hide_header Access-Control-Allow-Origin;
      proxy_hide_header Vary;
      proxy_pass http://app/both/;
    }

    location /star/ {
      add_header Access-Control-Allow-Origin * always;
      add_header Access-Control-Allow-Methods "GET, PUT" always;
      if ($request_method = OPTIONS) { return 204; }
      proxy_pass http://app/api/;
    }

    # Redirects: within the origin (preflight included), to another origin
    # (the request's origin becomes null), to https.
    location /old/ {
      ${CORS_HEADERS}
      return 301 /s3/items;
    }
    location /away/ {
      ${CORS_HEADERS}
      return 302 ${other.replace(/:\d+$/, '')}:PORT/s3/items;
    }
    location /away-star/ {
      ${CORS_HEADERS}
      return 302 ${other.replace(/:\d+$/, '')}:PORT/star/items;
    }
    location /https/ {
      return 301 https://127.0.0.1:PORT$request_uri;
    }
  }
`
}

// [name, path, method, headers, credentials, page ('page' or 'other')]
const JSON_TYPE = ['Content-Type', 'application/json']
const NGINX_CASES = [
  ['s3: GET', '/s3/items', 'GET', [], false],
  ['s3: POST JSON with credentials', '/s3/items', 'POST', [JSON_TYPE], true],
  ['s3: PUT JSON + Authorization with credentials', '/s3/items', 'PUT', [JSON_TYPE, ['Authorization', 'Bearer t']], true],
  ['s3: 401 still has the headers (always)', '/s3/private', 'GET', [], true],
  ['s3: 500 still has the headers (always)', '/s3/broken', 'GET', [], false],
  ['s3: DELETE with an unlisted header', '/s3/items', 'DELETE', [['X-Custom', '1']], false],
  ['s3: another origin, GET', '/s3/items', 'GET', [], false, 'other'],
  ['s3: another origin, PUT', '/s3/items', 'PUT', [JSON_TYPE], false, 'other'],
  ['s3: location without trailing slash, GET (nginx 301 to /s3/)', '/s3', 'GET', [], false],
  ['s3: location without trailing slash, PUT', '/s3', 'PUT', [JSON_TYPE], false],
  ['no always: GET 200', '/noalways/items', 'GET', [], false],
  ['no always: GET 401', '/noalways/private', 'GET', [], false],
  ['no always: GET 500', '/noalways/broken', 'GET', [], false],
  ['no always: PUT JSON (preflight 204)', '/noalways/items', 'PUT', [JSON_TYPE], false],
  ['add_header in if: GET', '/ifadd/items', 'GET', [], false],
  ['add_header in if: PUT JSON', '/ifadd/items', 'PUT', [JSON_TYPE], false],
  ['nested location: GET outer', '/nested/items', 'GET', [], false],
  ['nested location: GET inner', '/nested/upload/file', 'GET', [], false],
  ['nested location: PUT inner', '/nested/upload/file', 'PUT', [JSON_TYPE], false],
  ['map literal in another case: GET', '/mapliteral/items', 'GET', [], false, 'other'],
  ['map literal in another case: PUT', '/mapliteral/items', 'PUT', [], false, 'other'],
  ['map echo in another case: GET', '/mapecho/items', 'GET', [], false, 'other'],
  ['both layers: GET', '/both/items', 'GET', [], false],
  ['both layers: PUT JSON', '/both/items', 'PUT', [JSON_TYPE], false],
  ['both layers, upstream header hidden: GET', '/hidden/items', 'GET', [], false],
  ['star: GET', '/star/items', 'GET', [], false],
  ['star: GET with credentials', '/star/items', 'GET', [], true],
  ['redirect within the origin: PUT (preflight redirected)', '/old/x', 'PUT', [JSON_TYPE], false],
  ['redirect within the origin: GET', '/old/x', 'GET', [], false],
  ['redirect within the origin: POST text/plain (301 turns it into GET)', '/old/x', 'POST', [['Content-Type', 'text/plain']], false],
  ['redirect to another origin: GET (Origin: null)', '/away/x', 'GET', [], false],
  ['redirect to another origin with *: GET', '/away-star/x', 'GET', [], false],
  ['redirect to another origin with *: GET with credentials', '/away-star/x', 'GET', [], true],
  ['redirect to https without CORS headers: GET', '/https/x', 'GET', [], false]
]

const FLASK_APP = `
import sys
from flask import Flask, jsonify, redirect, abort, request
from flask_cors import CORS

page_origin = sys.argv[1]
app = Flask(__name__)

# The tutorial's section 4, and variations.
CORS(app, resources={
    r"/api/*": {"origins": [page_origin]},
    r"/public/*": {"origins": "*", "supports_credentials": False},
    r"/starcred/*": {"origins": "*"},
    r"/regex/*": {"origins": [r"http://127\\.0\\.0\\.1:\\d+"]},
    r"/narrow/*": {"origins": [page_origin], "methods": ["GET", "POST"], "allow_headers": ["Content-Type"]},
}, supports_credentials=True)

@app.route("/api/items", methods=["GET", "POST", "PUT", "DELETE"])
@app.route("/public/items", methods=["GET", "POST", "PUT"])
@app.route("/starcred/items")
@app.route("/regex/items")
@app.route("/narrow/items", methods=["GET", "POST", "PUT"])
@app.route("/nocors/items", methods=["GET", "POST"])
def items():
    return jsonify(path=request.path)

@app.route("/api/private")
def private():
    abort(401)

@app.route("/api/broken")
def broken():
    raise RuntimeError("boom")

@app.route("/api/old", methods=["GET", "POST", "PUT"])
def old():
    return redirect("/api/items")

@app.route("/api/away")
def away():
    return redirect("http://localhost:%s/api/items" % request.host.rsplit(":", 1)[1])

@app.route("/api/folder/", methods=["GET", "PUT"])
def folder():
    return jsonify(path=request.path)
`

const FLASK_CASES = [
  ['api: GET with credentials', '/api/items', 'GET', [], true],
  ['api: POST JSON with credentials', '/api/items', 'POST', [JSON_TYPE], true],
  ['api: PUT JSON + Authorization with credentials', '/api/items', 'PUT', [JSON_TYPE, ['Authorization', 'Bearer t']], true],
  ['api: DELETE', '/api/items', 'DELETE', [], false],
  ['api: another origin, GET', '/api/items', 'GET', [], false, 'other'],
  ['api: another origin, PUT', '/api/items', 'PUT', [JSON_TYPE], true, 'other'],
  ['api: 401', '/api/private', 'GET', [], true],
  ['api: 500', '/api/broken', 'GET', [], false],
  ['public *: GET', '/public/items', 'GET', [], false],
  ['public *: PUT JSON', '/public/items', 'PUT', [JSON_TYPE], false],
  ['public *: GET with credentials', '/public/items', 'GET', [], true],
  ['* with supports_credentials: GET with credentials', '/starcred/items', 'GET', [], true],
  ['regex origins: GET', '/regex/items', 'GET', [], false],
  ['regex origins: another origin', '/regex/items', 'GET', [], false, 'other'],
  ['narrow methods: PUT', '/narrow/items', 'PUT', [], false],
  ['narrow headers: POST with X-Custom', '/narrow/items', 'POST', [['X-Custom', '1']], false],
  ['narrow headers: POST JSON', '/narrow/items', 'POST', [JSON_TYPE], false],
  ['no CORS: GET', '/nocors/items', 'GET', [], false],
  ['no CORS: POST text/plain', '/nocors/items', 'POST', [['Content-Type', 'text/plain']], false],
  ['redirect within the origin: GET', '/api/old', 'GET', [], true],
  ['redirect within the origin: PUT JSON', '/api/old', 'PUT', [JSON_TYPE], false],
  ['redirect to another origin: GET', '/api/away', 'GET', [], false],
  ['strict slashes (308): GET', '/api/folder', 'GET', [], false],
  ['strict slashes (308): PUT JSON, the preflight is redirected', '/api/folder', 'PUT', [JSON_TYPE], false]
]

const tally = { cases: 0, agree: 0, table: [] }

describeBrowser('rust-cors check equals Chromium on real nginx and Flask', () => {
  const nginxReason = nginxMissing()
  // Without Chromium everything is skipped: no venv is built for nothing.
  const flaskSetup = chromiumPath() ? ensureFlask() : { reason: 'no Chromium' }

  let browser
  const pages = {}
  const origins = {}
  const closers = []

  beforeAll(async () => {
    const pageServer = await listen((req, res) => {
      res.setHeader('Content-Type', 'text/html')
      res.end('<!doctype html><meta charset="utf-8"><title>page</title>')
    })
    closers.push(() => new Promise((resolve) => pageServer.close(resolve)))
    const port = pageServer.address().port
    origins.page = `http://127.0.0.1:${port}`
    origins.other = `http://localhost:${port}`
    browser = await launch()
    for (const name of ['page', 'other']) {
      pages[name] = await browser.newPage()
      await pages[name].goto(`${origins[name]}/`)
    }
  }, 120000)

  afterAll(async () => {
    if (browser) await browser.close()
    for (const close of closers.reverse()) await close()
    if (tally.cases) {
      console.log(`real-server cases: ${tally.cases}, rust-cors check equal to Chromium: ${tally.agree}`)
      if (process.env.RUST_CORS_CHECK_TABLE) {
        console.log(['| server | case | rust-cors check | Chromium fetch() |', '|---|---|---|---|', ...tally.table].join('\n'))
      }
    }
  })

  async function compare (server, base, [name, path, method, headers, credentials, pageName = 'page']) {
    const url = `${base}${path}`
    const request = { url, origin: origins[pageName], method, headers, credentials }
    const command = await commandVerdict(request)
    const browserSays = await browserVerdict(pages[pageName], request)
    tally.cases++
    if (command.allows === browserSays.allows) tally.agree++
    const codes = (command.result.problems || []).map((p) => p.code)
    tally.table.push(`| ${server} | ${name} | ${command.result.verdict}${codes.length ? ` (${codes.join(', ')})` : ''} | ${browserSays.allows ? `allowed (${browserSays.status})` : 'blocked'} |`)
    expect({ name, commandAllows: command.allows }).toEqual({ name, commandAllows: browserSays.allows })
    expect(command.code).toBe(command.allows ? 0 : 1)
  }

  describeUnless(nginxReason, 'nginx: the tutorial section 3 and the traps', () => {
    let nginx
    beforeAll(async () => {
      const app = await listen(upstream)
      closers.push(() => new Promise((resolve) => app.close(resolve)))
      nginx = await startNginx({ http: nginxHttp({ page: origins.page, other: origins.other, upstreamPort: app.address().port }) })
      closers.push(() => nginx.stop())
    })
    test.each(NGINX_CASES)('%s', async (...testCase) => {
      await compare('nginx', nginx.base, testCase)
    })
  })

  describeUnless(flaskSetup.reason, 'Flask + Flask-CORS: the tutorial section 4 and variations', () => {
    let flask
    beforeAll(async () => {
      flask = await startFlask(flaskSetup.python, FLASK_APP, [origins.page])
      closers.push(() => flask.stop())
      const v = versions(flaskSetup.python)
      console.log(`Flask ${v.flask}, Flask-CORS ${v.flaskCors}`)
    })
    test.each(FLASK_CASES)('%s', async (...testCase) => {
      await compare('Flask', flask.base, testCase)
    })
  })
})

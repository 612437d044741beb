'use strict'

// `rust-cors check` reads odd response heads as Chromium does: which
// Location a redirect follows (two different ones fail the fetch, an empty
// or blank one is no redirect, raw UTF-8 bytes are UTF-8), and nine heads
// Node's parser refuses (obs-fold, a space before the colon, bare LF, ...). A raw TCP server
// writes each head byte for byte (node:http would not send them), and each
// case is judged by the command and by a real fetch() in headless Chromium:
// the verdicts must be equal.

const net = require('node:net')
const { commandVerdict, browserVerdict } = require('./helpers/compare')
const { describeBrowser, launch } = require('./helpers/chromium')
const { listen, base } = require('./helpers/cause-servers')

jest.setTimeout(120000)

// name -> (origin, path) => the raw response (a latin1 string: one char per byte).
// Every response allows the page's origin, so only the head's form decides.
const OK = (origin, status = '200 OK', extra = '') =>
  `HTTP/1.1 ${status}\r\nAccess-Control-Allow-Origin: ${origin}\r\nVary: Origin\r\n${extra}Content-Length: 2\r\nConnection: close\r\n\r\nok`
const utf8 = (s) => Buffer.from(s, 'utf8').toString('latin1')

const RESPONSES = {
  // The target of the redirects below: allowed.
  ok: (origin) => OK(origin),
  // Only the UTF-8 reading of the raw Location reaches here.
  'caf%C3%A9': (origin) => OK(origin),
  twoLocations: (origin) => OK(origin, '302 Found', 'Location: /ok?one\r\nLocation: /ok?two\r\n'),
  sameLocationTwice: (origin) => OK(origin, '302 Found', 'Location: /ok\r\nLocation: /ok\r\n'),
  emptyLocation: (origin) => OK(origin, '302 Found', 'Location:\r\n'),
  blankLocation: (origin) => OK(origin, '302 Found', 'Location:  \t \r\n'),
  emptyThenLocation: (origin) => OK(origin, '302 Found', 'Location: \r\nLocation: /ok\r\n'),
  utf8Location: (origin) => OK(origin, '302 Found', `Location: ${utf8('/café')}\r\n`),
  // Nine heads Node's parser refuses and Chromium reads.
  obsFold: (origin) => OK(origin, '200 OK', 'X-Folded: a\r\n  b\r\n'),
  spaceBeforeColon: (origin) => `HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin : ${origin}\r\nVary: Origin\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok`,
  bareLf: (origin) => OK(origin).replace(/\r\n/g, '\n'),
  lowerCaseVersion: (origin) => OK(origin).replace('HTTP/1.1', 'http/1.1'),
  leadingWhitespace: (origin) => '  ' + OK(origin),
  fourDigitStatus: (origin) => OK(origin, '2000 OK'),
  controlCharacter: (origin) => OK(origin, '200 OK', 'X-Control: a\u0001b\r\n'),
  lineWithoutColon: (origin) => OK(origin, '200 OK', 'this line has no colon\r\n'),
  chunkedWithLength: (origin) =>
    `HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: ${origin}\r\nVary: Origin\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\nConnection: close\r\n\r\n2\r\nok\r\n0\r\n\r\n`,
  twoContentLengths: (origin) =>
    `HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: ${origin}\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok`
}

// [name, path]
const CASES = [
  ['two different Location headers: Chromium fails the fetch', '/twoLocations'],
  ['the same Location twice is followed', '/sameLocationTwice'],
  ['an empty Location: the 302 is the response', '/emptyLocation'],
  ['a blank Location: the 302 is the response', '/blankLocation'],
  ['an empty Location, then one: the second is followed', '/emptyThenLocation'],
  ['a raw UTF-8 Location is read as UTF-8', '/utf8Location'],
  ['two different Content-Length headers: Chromium fails the fetch', '/twoContentLengths'],
  ['an obs-fold continuation line', '/obsFold'],
  ['a space before the colon (of Access-Control-Allow-Origin)', '/spaceBeforeColon'],
  ['bare LF line ends', '/bareLf'],
  ['a lower-case http/1.1', '/lowerCaseVersion'],
  ['leading whitespace before the status line', '/leadingWhitespace'],
  ['a 4-digit status', '/fourDigitStatus'],
  ['a control character in a value', '/controlCharacter'],
  ['a line without a colon', '/lineWithoutColon'],
  ['Transfer-Encoding: chunked with Content-Length', '/chunkedWithLength']
]

function rawServer (origin, seen) {
  const server = net.createServer((socket) => {
    let head = ''
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1')
      if (!head.includes('\r\n\r\n')) return
      const target = head.split(' ')[1] || '/'
      seen.push(target)
      const name = target.slice(1).split('?')[0]
      const respond = RESPONSES[name] || (() => 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
      socket.end(Buffer.from(respond(origin), 'latin1'))
    })
    socket.on('error', () => {})
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

describeBrowser('check reads Location and repeated headers as Chromium does', () => {
  let browser, page, pageServer, raw, origin
  const seen = []

  beforeAll(async () => {
    pageServer = await listen((req, res) => {
      res.setHeader('Content-Type', 'text/html')
      res.end('<!doctype html><meta charset="utf-8"><title>page</title>')
    })
    origin = base(pageServer)
    raw = await rawServer(origin, seen)
    browser = await launch()
    page = await browser.newPage()
    await page.goto(origin + '/')
  }, 120000)

  afterAll(async () => {
    if (browser) await browser.close()
    await Promise.all([pageServer, raw].filter(Boolean).map((s) => new Promise((resolve) => s.close(resolve))))
  })

  test.each(CASES)('%s', async (name, path) => {
    const url = `http://127.0.0.1:${raw.address().port}${path}`
    seen.length = 0
    const command = await commandVerdict({ url, origin, method: 'GET', headers: [], credentials: false })
    const commandSaw = seen.slice()
    seen.length = 0
    const browserSays = await browserVerdict(page, { url, method: 'GET', headers: [], credentials: false })
    const browserSaw = seen.slice()
    expect({ name, commandAllows: command.allows }).toEqual({ name, commandAllows: browserSays.allows })
    if (browserSays.allows) {
      expect(command.result.actual.status).toBe(browserSays.status)
    } else {
      // BLOCKED (exit 1), or ERROR (exit 2) where the transport fails the response as the browser does.
      expect(command.code).toBe(command.result.verdict === 'ERROR' ? 2 : 1)
    }
    // The same requests, in the same order (the redirect targets included).
    expect(commandSaw).toEqual(browserSaw)
  })
})

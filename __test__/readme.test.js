'use strict'

// Every command the README shows in a ```console block runs as written
// against examples/ (the demo of `npm start`) and prints what the README
// says it prints: the first line of its output and every verdict, problem
// and case line (`PASS`, `BLOCKED`, `error CODE`, `ok`/`FAIL`), and for
// `rust-cors nginx` the whole configuration. The demo listens on free ports
// here; the README's 3000, 3001 and 3002 are replaced by them.

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn, execFile } = require('node:child_process')

const ROOT = path.join(__dirname, '..')
const BIN = path.join(ROOT, 'bin', 'rust-cors.js')
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')

// The console blocks: `$ ` lines (with `\` continuations) and what follows.
function consoleBlocks (text) {
  const blocks = []
  const re = /```console\n([\s\S]*?)```/g
  let m
  while ((m = re.exec(text)) !== null) {
    const lines = m[1].replace(/\n$/, '').split('\n')
    if (!lines[0].startsWith('$ ')) continue
    let command = lines.shift().slice(2)
    while (command.endsWith('\\')) command = command.slice(0, -1) + ' ' + lines.shift().trim()
    blocks.push({ command, output: lines })
  }
  return blocks
}

// A shell word splitter for what the README uses: spaces, '…' and "…".
function words (command) {
  const out = []
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g
  let m
  while ((m = re.exec(command)) !== null) out.push(m[1] ?? m[2] ?? m[3])
  return out
}

function run (file, args) {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: ROOT, timeout: 30000 }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr })
    })
  })
}

// The lines that carry a verdict: they must all be there, in order.
const MEANINGFUL = /^(PASS|BLOCKED|ERROR|error [A-Z_]+|warning [A-Z_]+|ok |FAIL |\d+ cases)/

let demo
const ports = {}

beforeAll(async () => {
  demo = spawn(process.execPath, [path.join(ROOT, 'examples', 'server.js')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  await new Promise((resolve, reject) => {
    let text = ''
    demo.stdout.on('data', (chunk) => {
      text += chunk
      const found = [...text.matchAll(/on http:\/\/127\.0\.0\.1:(\d+)\/data/g)].map((x) => x[1])
      if (found.length === 3) {
        ;['3000', '3001', '3002'].forEach((p, i) => { ports[p] = found[i] })
        resolve()
      }
    })
    demo.on('exit', (code) => reject(new Error(`the demo server exited (${code})`)))
  })
})

afterAll(() => { if (demo) demo.kill() })

const toLocal = (text) => text.replace(/127\.0\.0\.1:(300[012])\b/g, (m, p) => `127.0.0.1:${ports[p]}`)

// A JSON file of examples/ (a cases file names the demo's URLs) is read
// from a copy with the demo's real ports.
function localFile (arg) {
  if (!/^examples\/.*\.json$/.test(arg)) return arg
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-cors-readme-'))
  const copy = path.join(dir, path.basename(arg))
  fs.writeFileSync(copy, toLocal(fs.readFileSync(path.join(ROOT, arg), 'utf8')))
  return copy
}

const blocks = consoleBlocks(README)

test('the README shows console commands to check', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(5)
  expect(blocks.some((b) => b.command.startsWith('curl '))).toBe(true)
  expect(blocks.some((b) => b.command.startsWith('npx rust-cors check '))).toBe(true)
})

describe.each(blocks.map((b) => [b.command, b]))('$ %s', (command, block) => {
  test('runs and prints what the README shows', async () => {
    const args = words(toLocal(command)).map(localFile)
    const tool = args.shift()
    let result
    if (tool === 'npx' && args[0] === 'rust-cors') {
      result = await run(process.execPath, [BIN, ...args.slice(1)])
    } else if (tool === 'curl') {
      result = await run('curl', args)
    } else {
      throw new Error(`the README runs ${tool}: teach this test how`)
    }
    const actual = result.stdout.replace(/\r/g, '').replace(/\n$/, '').split('\n')
    const expected = block.output.map(toLocal)
    if (args[0] === 'nginx') {
      expect(actual).toEqual(expected)
      return
    }
    expect(actual[0]).toBe(expected[0])
    expect(actual.filter((l) => MEANINGFUL.test(l))).toEqual(expected.filter((l) => MEANINGFUL.test(l)))
  })
})

'use strict'

// Headless Debian Chromium for browser tests. When it is missing the tests
// are skipped with a printed reason; under RUST_CORS_REQUIRE_ALL=1 (.ci/run,
// which installs it) they fail instead.

const fs = require('fs')
const path = require('path')
const { describeUnless } = require('./require-all')

const NAMES = ['chromium', 'chromium-browser']
const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean)

// The first candidate that exists, else `chromium` or `chromium-browser` on PATH (where
// .ci/run looks before deciding to install it).
function chromiumPath () {
  const fixed = CANDIDATES.find((p) => fs.existsSync(p))
  if (fixed) return fixed
  for (const dir of (process.env.PATH || '').split(path.delimiter).filter(Boolean)) {
    for (const name of NAMES) {
      const file = path.join(dir, name)
      try {
        fs.accessSync(file, fs.constants.X_OK)
        if (fs.statSync(file).isFile()) return file
      } catch {}
    }
  }
  return null
}

const FLAGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'
]

async function launch () {
  const { chromium } = require('playwright-core')
  return chromium.launch({ executablePath: chromiumPath(), args: FLAGS, headless: true })
}

// describe(), or describe.skip() after printing why (a failure under RUST_CORS_REQUIRE_ALL=1).
function describeBrowser (name, fn) {
  let reason = null
  if (!chromiumPath()) {
    reason = `no Chromium found (looked for ${CANDIDATES.join(', ')} and ${NAMES.join(', ')} on PATH). ` +
      'Install it with `apt-get install -y chromium` to run the browser tests.'
  }
  return describeUnless(reason, name, fn)
}

module.exports = { chromiumPath, launch, describeBrowser }

'use strict'

// Headless Debian Chromium for browser tests. When it is missing the tests
// are skipped with a printed reason (CI installs it, so CI always runs them).

const fs = require('fs')

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean)

function chromiumPath () {
  return CANDIDATES.find((p) => fs.existsSync(p)) || null
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

// describe(), or describe.skip() after printing why.
function describeBrowser (name, fn) {
  const p = chromiumPath()
  if (p) return describe(name, fn)
  const reason = `SKIPPED "${name}": no Chromium found (looked for ${CANDIDATES.join(', ')}). ` +
    'Install it with `apt-get install -y chromium` to run the browser tests.'
  console.warn(reason)
  process.stderr.write(reason + '\n')
  return describe.skip(name, fn)
}

module.exports = { chromiumPath, launch, describeBrowser }

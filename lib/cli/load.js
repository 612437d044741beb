'use strict'

// Loading the file a command names (check's --cases, nginx's options module):
// JSON, a CommonJS module or an ES module, with failures as UsageErrors.

const fs = require('fs')
const path = require('path')
const { pathToFileURL } = require('url')
const { UsageError } = require('./args')

const isNamespace = (value) => Object.prototype.toString.call(value) === '[object Module]'

// { value }: the JSON value, a CommonJS module's module.exports, or an ES
// module's default export; an ES module without a default export gives
// { value: undefined, namespace } (its named exports).
async function loadModule (file) {
  const full = path.resolve(file)
  if (!fs.existsSync(full)) throw new UsageError(`${file}: no such file`)
  if (/\.json$/i.test(full)) {
    try {
      return { value: JSON.parse(fs.readFileSync(full, 'utf8')) }
    } catch (e) {
      throw new UsageError(`${file}: not valid JSON (${e.message})`)
    }
  }
  let loaded
  try {
    try {
      loaded = /\.mjs$/i.test(full) ? await import(pathToFileURL(full).href) : require(full)
    } catch (e) {
      if (!e || e.code !== 'ERR_REQUIRE_ESM') throw e
      loaded = await import(pathToFileURL(full).href)
    }
  } catch (e) {
    throw new UsageError(`${file}: could not be loaded (${e && e.message ? e.message : e})`)
  }
  if (!isNamespace(loaded)) return { value: loaded }
  return 'default' in loaded ? { value: loaded.default } : { value: undefined, namespace: loaded }
}

module.exports = { loadModule }

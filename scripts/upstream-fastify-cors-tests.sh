#!/usr/bin/env bash
# Run @fastify/cors's own tests (test/cors.test.js, hooks.test.js, preflight.test.js, as shipped in its
# npm tarball) against rust-cors/fastify, without copying any of its code into this repository: the
# files are copied into a temporary directory and only their require of the plugin ('..' or '../') is
# rewritten. vary.test.js tests @fastify/cors's internal vary.js and is not run.
#
# usage: scripts/upstream-fastify-cors-tests.sh [<@fastify/cors package dir>]
#
#   <dir>   where the tests come from (default: node_modules/@fastify/cors, version 11.4.3)
#
# environment:
#   FASTIFY_CORS_PLUGIN  the module the tests should load (default: this repository's lib/fastify.js,
#                        what require('rust-cors/fastify') loads). Point it at node_modules/@fastify/cors
#                        to check the runner against the original itself.
#   KEEP_TMP=1           keep the temporary directory (its path is printed)
#
# Runs them with their own runner (node --test, TAP) and prints "upstream tests: N passing, M failing".
# Exit status: 0 when every test passed, 1 when one failed, 2 on a setup error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/.." && pwd)"
src="$(cd "${1:-$repo_root/node_modules/@fastify/cors}" && pwd)"
plugin="${FASTIFY_CORS_PLUGIN:-$repo_root/lib/fastify.js}"
files=(cors.test.js hooks.test.js preflight.test.js)

for f in "${files[@]}"; do
  [ -f "$src/test/$f" ] || { echo "no $src/test/$f" >&2; exit 2; }
done
version="$(node -p 'require(process.argv[1]).version' "$src/package.json")"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/fastify-cors-upstream.XXXXXX")"
cleanup() { if [ "${KEEP_TMP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi; }
trap cleanup EXIT
mkdir -p "$tmp/test"
for f in "${files[@]}"; do cp "$src/test/$f" "$tmp/test/$f"; done
echo "upstream tests: @fastify/cors $version from $src"
echo "plugin under test: $plugin"

node - "$tmp/test" "$plugin" "${files[@]}" <<'JS'
const fs = require('fs')
const path = require('path')
const [dir, target, ...files] = process.argv.slice(2)
const re = /require\(\s*(['"])\.\.\/?\1\s*\)/g
for (const f of files) {
  const p = path.join(dir, f)
  let n = 0
  const after = fs.readFileSync(p, 'utf8').replace(re, () => { n++; return `require(${JSON.stringify(target)})` })
  const left = after.match(/require\(\s*['"]\.\.[^'"]*['"]\s*\)/g)
  if (n !== 1 || left) { console.error(`${f}: ${n} plugin require(s) rewritten, left: ${left}`); process.exit(2) }
  fs.writeFileSync(p, after)
  console.log(`  ${f}: plugin require rewritten`)
}
JS

# fastify (and fastify/lib/symbols) resolve from this repository's node_modules.
out="$tmp/tap.txt"
set +e
(cd "$tmp" && NODE_PATH="$repo_root/node_modules" node --test --test-reporter=tap "${files[@]/#/test/}") > "$out" 2>&1
rc=$?
set -e
grep -E '^not ok|^# (tests|pass|fail)' "$out" || true
pass="$(grep -Eo '^# pass [0-9]+' "$out" | grep -Eo '[0-9]+' || echo 0)"
fail="$(grep -Eo '^# fail [0-9]+' "$out" | grep -Eo '[0-9]+' || echo 0)"
if [ "$rc" != 0 ] && [ "$fail" = 0 ]; then sed -n '1,80p' "$out"; fi
echo "upstream tests: $pass passing, $fail failing (@fastify/cors $version, node --test exit $rc)"
[ "$rc" = 0 ] && [ "$fail" = 0 ] || exit 1

#!/usr/bin/env bash
# Run expressjs/cors's own test suite against rust-cors, without copying any of its code into this
# repository. See __test__/upstream/README.md.
#
# usage: scripts/upstream-cors-tests.sh <expressjs/cors checkout or bare git dir> [express versions...]
#
#   <checkout>   a work tree (with test/ and package.json) or a git directory (bare mirror); for a git
#                directory the ref CORS_UPSTREAM_REF (default: v2.8.6) is exported with `git archive`
#   versions     Express versions to run the suite with (default: the Express 4 version pinned in the
#                upstream package.json, then the Express 5 version installed in this repo)
#
# environment:
#   CORS_UPSTREAM_REF  ref to export from a git directory (default v2.8.6; e.g. HEAD, v2.8.5)
#   RUST_CORS_ROOT     the library the tests should load (default: this repository). Point it at
#                      node_modules/cors to check the runner against cors itself.
#   KEEP_TMP=1         keep the temporary directory (its path is printed)
#
# Exit status: 0 when every run passed, 1 when a run had failures, 2 on a setup error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/.." && pwd)"
lib_root="$(cd "${RUST_CORS_ROOT:-$repo_root}" && pwd)"

if [ $# -lt 1 ]; then
  sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
fi
src="$1"; shift

tmp="$(mktemp -d "${TMPDIR:-/tmp}/cors-upstream.XXXXXX")"
cleanup() { if [ "${KEEP_TMP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi; }
trap cleanup EXIT

# 1. get the upstream test/ directory and package.json (for the devDependency versions)
mkdir -p "$tmp/upstream"
if [ -d "$src/test" ] && [ -f "$src/package.json" ]; then
  cp -R "$src/test" "$tmp/upstream/test"
  cp "$src/package.json" "$tmp/upstream/package.json"
  origin_desc="work tree $src"
elif git --git-dir="$src" rev-parse --git-dir >/dev/null 2>&1 || git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
  gitdir="$src"
  git --git-dir="$gitdir" rev-parse --git-dir >/dev/null 2>&1 || gitdir="$(git -C "$src" rev-parse --absolute-git-dir)"
  ref="${CORS_UPSTREAM_REF:-v2.8.6}"
  commit="$(git --git-dir="$gitdir" rev-parse --verify "$ref^{commit}")" || { echo "no ref $ref in $gitdir" >&2; exit 2; }
  git --git-dir="$gitdir" archive "$commit" test package.json | tar -x -C "$tmp/upstream"
  origin_desc="$gitdir @ $ref ($commit)"
else
  echo "not a cors checkout or git directory: $src" >&2
  exit 2
fi
echo "upstream tests: $origin_desc"
echo "library under test: $lib_root"

# 2. point the library requires at the library under test, and nothing else
lib_js="$(node -e 'process.stdout.write(JSON.stringify(process.argv[1]))' "$lib_root")"
node - "$tmp/upstream/test" "$lib_js" <<'EOF'
const fs = require('fs')
const path = require('path')
const [dir, target] = process.argv.slice(2)
// require('..'), require('../'), require('../lib'), require('../lib/'), require('../lib/index'), require('../lib/index.js')
const re = /require\(\s*(['"])\.\.(?:\/|\/lib\/?|\/lib\/index(?:\.js)?)?\1\s*\)/g
let total = 0
for (const f of fs.readdirSync(dir)) {
  if (!f.endsWith('.js')) continue
  const p = path.join(dir, f)
  const before = fs.readFileSync(p, 'utf8')
  let n = 0
  const after = before.replace(re, () => { n++; return `require(${target})` })
  if (n) fs.writeFileSync(p, after)
  // anything else that still reaches into the upstream package would test cors, not us
  const left = after.match(/require\(\s*['"]\.\.[^'"]*['"]\s*\)/g)
  if (left) { console.error(`${f}: unrewritten require(s): ${left.join(', ')}`); process.exit(2) }
  console.log(`  ${f}: ${n} require(s) rewritten`)
  total += n
}
if (total === 0) { console.error('no library require found to rewrite'); process.exit(2) }
EOF

# 3. install the test devDependencies (not eslint/nyc) at the upstream's pinned versions
devdep() { node -e 'const p=require(process.argv[1]); const v=(p.devDependencies||{})[process.argv[2]]; if(!v) process.exit(1); process.stdout.write(v)' "$tmp/upstream/package.json" "$1"; }
deps=()
for d in mocha supertest after; do
  if v="$(devdep "$d")"; then deps+=("$d@$v"); fi
done
express4="$(devdep express || echo 4.21.2)"
express5="$(node -p 'require(process.argv[1]).version' "$repo_root/node_modules/express/package.json" 2>/dev/null || echo 5)"
if [ $# -gt 0 ]; then versions=("$@"); else versions=("$express4" "$express5"); fi

cd "$tmp/upstream"
printf '{ "name": "cors-upstream-tests", "private": true }\n' > package.json.runner
mv package.json package.json.upstream
mv package.json.runner package.json
npm_flags=(--no-save --no-package-lock --no-audit --no-fund --loglevel=error)
echo "installing ${deps[*]}"
npm install "${npm_flags[@]}" "${deps[@]}" >/dev/null

# 4. run the suite once per Express version
status=0
summary=()
for ev in "${versions[@]}"; do
  echo
  echo "=== express@$ev ==="
  npm install "${npm_flags[@]}" "${deps[@]}" "express@$ev" >/dev/null
  got="$(node -p 'require("express/package.json").version')"
  out="$tmp/mocha-$ev.txt"
  set +e
  NODE_ENV=test ./node_modules/.bin/mocha --require test/support/env --reporter spec test/ 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  set -e
  passing="$(grep -Eo '^ *[0-9]+ passing' "$out" | head -1 | grep -Eo '[0-9]+' || true)"
  failing="$(grep -Eo '^ *[0-9]+ failing' "$out" | head -1 | grep -Eo '[0-9]+' || true)"
  pending="$(grep -Eo '^ *[0-9]+ pending' "$out" | head -1 | grep -Eo '[0-9]+' || true)"
  summary+=("express@$got: ${passing:-0} passing, ${failing:-0} failing, ${pending:-0} pending (mocha exit $rc)")
  if [ "$rc" != 0 ] || [ -z "$passing" ]; then status=1; fi
done

echo
echo "upstream tests: $origin_desc"
echo "library under test: $lib_root"
for s in "${summary[@]}"; do echo "  $s"; done
exit $status

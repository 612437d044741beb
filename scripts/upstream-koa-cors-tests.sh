#!/usr/bin/env bash
# Run @koa/cors's own test suite (koajs/cors 5.0.0, test/cors.test.js: 57 tests) against rust-cors/koa,
# under Koa 2 and Koa 3, without copying any of its code into this repository: the test file is
# exported from the koajs/cors mirror into a temporary directory and only its `require('..')` is
# changed.
#
# usage: scripts/upstream-koa-cors-tests.sh [koajs/cors git dir]
#
#   git dir   a bare mirror or checkout of koajs/cors (default: /work/.mirror/koajs+cors/repo);
#             when it is absent the run is skipped with a message (exit 0, "SKIPPED" printed)
#
# environment:
#   KOA_CORS_UPSTREAM_REF  ref to export (default 5.0.0, commit c33bd69 of koajs/cors)
#   KOA_CORS_MODULE        what `require('..')` becomes (default rust-cors/koa; `@koa/cors` runs the
#                          suite against the original, to prove the runner)
#   KOA_VERSIONS           the Koa packages of this repo to run under (default "koa2 koa": Koa 2, Koa 3)
#   KEEP_TMP=1             keep the temporary directory
#
# Exit status: 0 when every run passed (or skipped), 1 when a run had failures, 2 on a setup error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/.." && pwd)"
src="${1:-/work/.mirror/koajs+cors/repo}"
ref="${KOA_CORS_UPSTREAM_REF:-5.0.0}"
module="${KOA_CORS_MODULE:-rust-cors/koa}"
read -r -a koas <<< "${KOA_VERSIONS:-koa2 koa}"

if ! git --git-dir="$src" rev-parse --git-dir >/dev/null 2>&1; then
  echo "SKIPPED: no koajs/cors git directory at $src (fetch koajs/cors to run @koa/cors's suite)"
  exit 0
fi
commit="$(git --git-dir="$src" rev-parse --verify "$ref^{commit}")" || { echo "no ref $ref in $src" >&2; exit 2; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/koa-cors-upstream.XXXXXX")"
cleanup() { if [ "${KEEP_TMP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi; }
trap cleanup EXIT

git --git-dir="$src" archive "$commit" test/cors.test.js | tar -x -C "$tmp"
echo "upstream tests: koajs/cors @ $ref ($commit)"
echo "module under test: $module"

# Only the library require changes.
node - "$tmp/test/cors.test.js" "$module" <<'JS'
const fs = require('fs')
const [file, target] = process.argv.slice(2)
const before = fs.readFileSync(file, 'utf8')
let n = 0
const after = before.replace(/require\(\s*(['"])\.\.\/?\1\s*\)/g, () => { n++; return `require(${JSON.stringify(target)})` })
if (n !== 1) { console.error(`expected one require('..'), rewrote ${n}`); process.exit(2) }
if (/require\(\s*['"]\.\./.test(after)) { console.error('an unrewritten require into the upstream package'); process.exit(2) }
fs.writeFileSync(file, after)
JS

mkdir -p "$tmp/node_modules"
ln -s "$repo_root/node_modules/supertest" "$tmp/node_modules/supertest"
ln -s "$repo_root/node_modules/@koa" "$tmp/node_modules/@koa"
ln -s "$repo_root" "$tmp/node_modules/rust-cors"

status=0
summary=()
for k in "${koas[@]}"; do
  rm -f "$tmp/node_modules/koa"
  ln -s "$repo_root/node_modules/$k" "$tmp/node_modules/koa"
  version="$(node -p 'require(process.argv[1]).version' "$repo_root/node_modules/$k/package.json")"
  echo
  echo "=== koa@$version ==="
  out="$tmp/mocha-$k.txt"
  set +e
  (cd "$tmp" && NODE_ENV=test "$repo_root/node_modules/.bin/mocha" --check-leaks -R spec -t 5000 --exit test/cors.test.js) 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  set -e
  passing="$(grep -Eo '^ *[0-9]+ passing' "$out" | head -1 | grep -Eo '[0-9]+' || true)"
  failing="$(grep -Eo '^ *[0-9]+ failing' "$out" | head -1 | grep -Eo '[0-9]+' || true)"
  summary+=("koa@$version: ${passing:-0} passing, ${failing:-0} failing (mocha exit $rc)")
  if [ "$rc" != 0 ] || [ -z "$passing" ]; then status=1; fi
done

echo
echo "upstream tests: koajs/cors @ $ref ($commit)"
echo "module under test: $module"
for s in "${summary[@]}"; do echo "  $s"; done
exit $status

#!/usr/bin/env bash
# Run hono's own CORS middleware tests (honojs/hono src/middleware/cors/index.test.ts: 25 tests) against
# rust-cors/hono, without copying any of its code into this repository: the test file is exported from
# the honojs/hono mirror into a temporary directory and only its imports of the middleware and of Hono
# change (`.`, `../../middleware/cors` -> rust-cors/hono; `../../hono` -> hono, this repo's hono 4).
#
# usage: scripts/upstream-hono-cors-tests.sh [honojs/hono git dir]
#
#   git dir   a bare mirror or checkout of honojs/hono (default: /work/.mirror/honojs+hono/repo);
#             when it is absent the run is skipped with a message (exit 0, "SKIPPED" printed)
#
# environment:
#   HONO_UPSTREAM_REF  ref to export (default HEAD of the mirror; run on 28a9c128912de19f3fb28b00ae289c9b93f6f392,
#                      2026-08-22, whose cors middleware is the one hono 4.13.23 ships)
#   HONO_CORS_MODULE   what the middleware import becomes (default rust-cors/hono; `hono/cors` runs the
#                      suite against the original, to prove the runner)
#   KEEP_TMP=1         keep the temporary directory
#
# Exit status: 0 when the run passed (or skipped), 1 on failures, 2 on a setup error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/.." && pwd)"
src="${1:-/work/.mirror/honojs+hono/repo}"
ref="${HONO_UPSTREAM_REF:-HEAD}"
module="${HONO_CORS_MODULE:-rust-cors/hono}"
test_path=src/middleware/cors/index.test.ts

if ! git --git-dir="$src" rev-parse --git-dir >/dev/null 2>&1; then
  echo "SKIPPED: no honojs/hono git directory at $src (fetch honojs/hono to run hono's cors suite)"
  exit 0
fi
commit="$(git --git-dir="$src" rev-parse --verify "$ref^{commit}")" || { echo "no ref $ref in $src" >&2; exit 2; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/hono-cors-upstream.XXXXXX")"
cleanup() { if [ "${KEEP_TMP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi; }
trap cleanup EXIT

mkdir -p "$tmp/test"
git --git-dir="$src" show "$commit:$test_path" > "$tmp/test/cors.test.ts"
echo "upstream tests: honojs/hono @ $ref ($commit) $test_path"
echo "module under test: $module"

node - "$tmp/test/cors.test.ts" "$module" <<'JS'
const fs = require('fs')
const [file, target] = process.argv.slice(2)
let text = fs.readFileSync(file, 'utf8')
let middleware = 0
let hono = 0
text = text.replace(/from\s+(['"])(\.|\.\/index|\.\.\/\.\.\/middleware\/cors)\1/g, () => { middleware++; return `from ${JSON.stringify(target)}` })
text = text.replace(/from\s+(['"])\.\.\/\.\.\/hono\1/g, () => { hono++; return "from 'hono'" })
if (middleware !== 1 || hono !== 1) { console.error(`expected one import of the middleware and one of Hono, rewrote ${middleware} and ${hono}`); process.exit(2) }
const left = text.match(/from\s+['"]\.[^'"]*['"]/g)
if (left) { console.error(`unrewritten relative import(s): ${left.join(', ')}`); process.exit(2) }
fs.writeFileSync(file, text)
JS

mkdir -p "$tmp/node_modules"
ln -s "$repo_root/node_modules/hono" "$tmp/node_modules/hono"
ln -s "$repo_root" "$tmp/node_modules/rust-cors"
printf '{ "name": "hono-cors-upstream-tests", "private": true }\n' > "$tmp/package.json"
# hono's own vitest config runs its tests with globals (describe, it, expect).
printf 'export default { test: { globals: true, include: ["test/**/*.test.ts"] } }\n' > "$tmp/vitest.config.mjs"

out="$tmp/vitest.txt"
set +e
# Under CI=true vitest colours its output whatever --color says: NO_COLOR, and
# the escapes stripped before the counts are read.
(cd "$tmp" && NO_COLOR=1 FORCE_COLOR=0 "$repo_root/node_modules/.bin/vitest" run --reporter=verbose --color=false) 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | tee "$out"
rc=${PIPESTATUS[0]}
set -e
passing="$(grep -Eo 'Tests +([0-9]+ failed \| )?[0-9]+ passed' "$out" | grep -Eo '[0-9]+ passed' | grep -Eo '[0-9]+' || true)"
failing="$(grep -Eo 'Tests +[0-9]+ failed' "$out" | grep -Eo '[0-9]+' || true)"
hono_version="$(node -p 'require(process.argv[1]).version' "$repo_root/node_modules/hono/package.json")"
echo
echo "upstream tests: honojs/hono @ $ref ($commit) $test_path"
echo "module under test: $module"
echo "  hono@$hono_version: ${passing:-0} passing, ${failing:-0} failing (vitest exit $rc)"
if [ "$rc" != 0 ] || [ -z "$passing" ]; then exit 1; fi

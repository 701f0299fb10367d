#!/usr/bin/env bash
# Generate TypeScript types from the committed schema and type-check sdk/ts/usage.ts against them.
#
#   sdk/typescript.sh [SCHEMA]      # default docs/openapi.yaml
#
# Installs sdk/ts/package-lock.json (openapi-typescript and typescript, exact versions) with
# `npm ci` into build/ts/ (again only when the lock file changes), writes build/ts/schema.d.ts
# with openapi-typescript, then runs `tsc --noEmit -p sdk/ts`. Exits 3 when npm cannot install
# the packages, so that callers can tell "cannot install" from a type error.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMA=${1:-docs/openapi.yaml}
OUT=build/ts
mkdir -p "$OUT"
exec 7>build/.ts.lock
flock 7

key=$(cat sdk/ts/package.json sdk/ts/package-lock.json | sha256sum | cut -d' ' -f1)
if [ "$(cat "$OUT/.key" 2>/dev/null)" != "$key" ]; then
  echo "== npm ci (sdk/ts/package-lock.json) into $OUT"
  rm -rf "$OUT/node_modules"
  cp sdk/ts/package.json sdk/ts/package-lock.json "$OUT/"
  if ! (cd "$OUT" && npm ci --no-audit --no-fund --loglevel=error); then
    echo "!! npm could not install sdk/ts/package-lock.json" >&2
    exit 3
  fi
  echo "$key" >"$OUT/.key"
fi

echo "== openapi-typescript $SCHEMA -> $OUT/schema.d.ts"
"$OUT/node_modules/.bin/openapi-typescript" "$SCHEMA" --output "$OUT/schema.d.ts"
echo "== tsc --noEmit -p sdk/ts"
"$OUT/node_modules/.bin/tsc" --noEmit -p sdk/ts
echo "== sdk/ts/usage.ts type-checks against $SCHEMA"

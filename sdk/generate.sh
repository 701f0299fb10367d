#!/usr/bin/env bash
# Generate the Python client from the committed schema and install it into a throwaway venv.
#
#   sdk/generate.sh [SCHEMA]        # default docs/openapi.yaml; FORCE=1 regenerates regardless
#
# 1. build/sdk-tools/: the pinned tools (sdk/tools.sh; exit 3 if they cannot be installed).
# 2. build/sdk/: the client package `summit_briefing_client`, generated with the tools venv's bin
#    first on PATH (the generator's post hooks call `ruff` through PATH). Any warning about the
#    schema fails the script. sdk/pages.py (walking every page of a list) is added to it as
#    `summit_briefing_client.pages`.
# 3. build/sdk-venv/: a venv with the client installed (its httpx and attrs pinned by
#    requirements-sdk.txt). Steps 2 and 3 are skipped while the schema, the generator config,
#    the pins and this script are unchanged since the last run.
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMA=${1:-docs/openapi.yaml}
PYTHON=${PYTHON:-python3}
TOOLS=build/sdk-tools
OUT=build/sdk
SDK_VENV=build/sdk-venv
CONFIG=sdk/openapi-python-client.yaml
LOG=build/sdk-generate.log

sdk/tools.sh

exec 9>build/.sdk.lock
flock 9

key=$(cat "$SCHEMA" "$CONFIG" requirements-sdk.txt sdk/generate.sh sdk/pages.py | sha256sum | cut -d' ' -f1)
if [ -z "${FORCE:-}" ] && [ "$(cat "$SDK_VENV/.key" 2>/dev/null)" = "$key" ]; then
  echo "== $OUT is up to date with $SCHEMA (installed in $SDK_VENV)"
  exit 0
fi

echo "== generating $OUT from $SCHEMA"
rm -rf "$OUT" "$SDK_VENV"
status=0
PATH="$PWD/$TOOLS/bin:$PATH" "$TOOLS/bin/openapi-python-client" generate \
  --path "$SCHEMA" --config "$CONFIG" --meta setup --output-path "$OUT" --fail-on-warning \
  >"$LOG" 2>&1 || status=$?
cat "$LOG"
# --fail-on-warning covers the parser's warnings; a post hook's complaint (e.g. ruff not on
# PATH) is only printed, so any warning or error in the output fails the run as well.
if [ "$status" -ne 0 ] || grep -qiE 'warning|error' "$LOG"; then
  echo "!! openapi-python-client reported problems with $SCHEMA (above, and in $LOG)" >&2
  exit 1
fi

cp sdk/pages.py "$OUT/summit_briefing_client/pages.py"

echo "== installing the client into $SDK_VENV"
"$PYTHON" -m venv "$SDK_VENV"
"$SDK_VENV/bin/pip" install --quiet --disable-pip-version-check -c requirements-sdk.txt "./$OUT"
echo "$key" >"$SDK_VENV/.key"
echo "== done: $SDK_VENV/bin/python imports summit_briefing_client"

#!/usr/bin/env bash
# Make build/sdk-tools/ a venv with exactly requirements-sdk.txt (openapi-python-client,
# schemathesis and their pinned dependencies), rebuilding it only when that file changes.
#
#   sdk/tools.sh            # then build/sdk-tools/bin/{openapi-python-client,schemathesis}
#
# Exits 3 when pip cannot install the tools (no package index reachable, say), so that callers
# can tell "cannot install" from a real failure. Needs PyPI only the first time.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
TOOLS=build/sdk-tools
mkdir -p build
# Two runs at once (make sdk and the test suite) must not build the venv together.
exec 8>build/.sdk-tools.lock
flock 8

key=$(sha256sum requirements-sdk.txt | cut -d' ' -f1)
if [ "$(cat "$TOOLS/.key" 2>/dev/null)" = "$key" ]; then
  exit 0
fi
echo "== installing requirements-sdk.txt into $TOOLS"
rm -rf "$TOOLS"
"$PYTHON" -m venv "$TOOLS"
if ! "$TOOLS/bin/pip" install --quiet --disable-pip-version-check -r requirements-sdk.txt; then
  rm -rf "$TOOLS"
  echo "!! could not install requirements-sdk.txt into $TOOLS" >&2
  exit 3
fi
echo "$key" >"$TOOLS/.key"

#!/usr/bin/env bash
# The long schemathesis run (`make fuzz`): tests/contract/test_fuzz.py with the "long" profile.
#
#   sdk/fuzz.sh [pytest args]       # e.g. sdk/fuzz.sh -k superuser
#   CONTRACT_FUZZ_SEED=7 sdk/fuzz.sh
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/briefing sdk/fuzz.sh   # servers on PostgreSQL
#
# Same servers, checks and phases as the quick run in `make test`, with 150 examples per
# operation and a different fixed seed: about ten minutes on two cores. Each run's full
# schemathesis output and JUnit report are kept in build/fuzz/{gunicorn,runserver}-{anonymous,superuser}/.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
export CONTRACT_FUZZ_PROFILE=long
exec "$VENV/bin/pytest" tests/contract/test_fuzz.py -p no:cacheprovider "$@"

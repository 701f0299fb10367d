#!/bin/sh
# Entrypoint of the Summit Briefing API image: optional one-off steps, then the command.
#
#   MIGRATE=1  apply database migrations first (run it on one instance or a release job,
#              not on every replica at once)
#   SEED=1     then import the article fixtures (idempotent, and it keeps what editors changed)
#
# Then it execs the command (by default gunicorn with gunicorn.conf.py), so the server is
# PID 1 and receives the container's SIGTERM directly.
set -eu

if [ "${MIGRATE:-0}" = "1" ]; then
    # Schema changes may rightly run longer than the per-request statement timeout.
    DB_STATEMENT_TIMEOUT_MS=0 python manage.py migrate --noinput
fi
if [ "${SEED:-0}" = "1" ]; then
    DB_STATEMENT_TIMEOUT_MS=0 python manage.py seed
fi

exec "$@"

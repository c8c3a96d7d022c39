#!/bin/sh
# Run ADL's LRS conformance test suite (github.com/adlnet/lrs-conformance-test-suite) against
# the portal's LRS (/xapi/) on PostgreSQL under gunicorn, and print its figures.
#
#   scripts/lrs_conformance.sh /path/to/a/checkout/of/lrs-conformance-test-suite [ARGS...]
#
# The suite is not part of the project: take a copy of its repository outside the project
# and run `npm install` in it once. Extra ARGS go to its console runner (e.g. -g PATTERN).
# The portal runs from .venv (`make install` first) in production mode on a scratch database
# (dropped afterwards) on the PostgreSQL server at $PG (default: the local one), with
# credentials issued to the suite by `flask xapi add-client`. Exit code: the suite's, the
# number of failed tests.
set -eu

SUITE=${1:?usage: scripts/lrs_conformance.sh SUITE_CHECKOUT [ARGS...]}
shift
PORT=${PORT:-5891}
PG=${PG:-postgresql://postgres@127.0.0.1:5432}
DATABASE=portal_lrs_conformance_$$
HERE=$(cd "$(dirname "$0")/.." && pwd)

SCRATCH=$(mktemp -d)
psql "$PG/postgres" -q -c "CREATE DATABASE $DATABASE ENCODING 'UTF8' TEMPLATE template0"
cleanup() {
    [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null && sleep 1
    psql "$PG/postgres" -q -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)"
    rm -rf "$SCRATCH"
}
trap cleanup EXIT

export PORTAL_ENV=production
export PORTAL_SECRET_KEY="lrs-conformance-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export PORTAL_DATABASE_URL="$PG/$DATABASE"
export PORTAL_INSTANCE_PATH="$SCRATCH"
export PORTAL_BASE_URL="http://127.0.0.1:$PORT"
export PORTAL_BIND="127.0.0.1:$PORT"
export PORTAL_ACCESS_LOG=""
export PORTAL_LOG_LEVEL=WARNING
cd "$HERE"
export "$(.venv/bin/python -m courses.credentials.keys | head -1)"  # PORTAL_CREDENTIAL_KEY
FLASK=".venv/bin/flask --app wsgi"
$FLASK db upgrade >/dev/null
CREDENTIALS=$($FLASK xapi add-client "ADL conformance suite" --scope all \
    --rate-limit "1000000 per hour")
KEY=$(echo "$CREDENTIALS" | awk '/^key:/ {print $2}')
SECRET=$(echo "$CREDENTIALS" | awk '/^secret:/ {print $2}')
.venv/bin/gunicorn -c gunicorn.conf.py wsgi:app >"$SCRATCH/gunicorn.log" 2>&1 &
SERVER=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
    curl -fs "http://127.0.0.1:$PORT/xapi/about" >/dev/null 2>&1 && break
    sleep 1
done

cd "$SUITE"
START=$(date +%s)
STATUS=0
node bin/console_runner.js -e "http://127.0.0.1:$PORT/xapi" -a -u "$KEY" -p "$SECRET" \
    -x 2.0.0 "$@" || STATUS=$?
echo "lrs_conformance: $STATUS failed, $(($(date +%s) - START)) s" \
     "(gunicorn workers: ${WEB_CONCURRENCY:-default})"
grep -E "Error|Traceback" "$SCRATCH/gunicorn.log" | tail -20 || true
exit "$STATUS"

#!/bin/sh
# Run the OAI's own validator (github.com/zimeon/oaipmh-validator, Perl) against the portal's
# OAI-PMH provider loaded with the demo content, and exit 0 only when it says COMPLIANT.
#
#   scripts/oai_validate.sh /path/to/a/checkout/of/oaipmh-validator
#
# The validator is not part of the project (nor on PyPI or in Debian): take a copy of its
# repository outside the project and pass its folder. Its Perl modules come from Debian's
# packages, installed here when missing (needs root or sudo). The portal runs from .venv
# (`make install` first) on a scratch SQLite database under gunicorn on 127.0.0.1:$PORT, with
# two records per page so resumption tokens are exercised.
set -eu

VALIDATOR=${1:?usage: scripts/oai_validate.sh VALIDATOR_CHECKOUT}
PORT=${PORT:-5890}
HERE=$(cd "$(dirname "$0")/.." && pwd)
PERL_PACKAGES="libdata-uuid-perl libdate-manip-perl libxml-dom-perl libtry-tiny-perl \
libjson-perl libclass-accessor-perl libwww-perl libcgi-pm-perl liblwp-protocol-https-perl"

if ! perl -I"$VALIDATOR/lib" -MHTTP::OAIPMH::Validator -e 1 2>/dev/null; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo -n"
    # shellcheck disable=SC2086  # the package list is meant to split into words
    $SUDO env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends $PERL_PACKAGES </dev/null
fi

SCRATCH=$(mktemp -d)
export PORTAL_DATABASE_URL="sqlite:///$SCRATCH/portal.sqlite3"
export PORTAL_INSTANCE_PATH="$SCRATCH"
export PORTAL_BASE_URL="http://127.0.0.1:$PORT"
export PORTAL_OAI_ADMIN_EMAIL="oai@demo.hoctap.vn"  # the validator refuses 127.0.0.1 mail hosts
export PORTAL_OAI_PAGE_SIZE=2
cd "$HERE"
FLASK=".venv/bin/flask --app wsgi"
$FLASK db upgrade >/dev/null
$FLASK places load >/dev/null
$FLASK demo load >/dev/null
.venv/bin/gunicorn -w 2 -b "127.0.0.1:$PORT" wsgi:app >"$SCRATCH/gunicorn.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$SCRATCH"' EXIT
for _ in 1 2 3 4 5 6 7 8 9 10; do
    curl -fs "http://127.0.0.1:$PORT/xapi/about" >/dev/null 2>&1 && break
    sleep 1
done

cd "$VALIDATOR"
perl -Ilib oaipmh-validator.pl "http://127.0.0.1:$PORT/oai" | tee "$SCRATCH/validator.log"
grep -q "is COMPLIANT" "$SCRATCH/validator.log"

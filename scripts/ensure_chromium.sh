#!/bin/sh
# Make sure Debian's Chromium and the Noto fonts the browser tests need are installed.
#
# The browser tests (tests/e2e/) drive /usr/bin/chromium through Playwright from PyPI; they
# never run `playwright install`. fonts-noto-core carries Noto Sans Khmer, Cham and Tai Viet,
# so the language switcher's endonyms render as letters rather than empty boxes.
#
# Idempotent: does nothing when both are present. Needs root (or sudo) and network access to
# the Debian mirrors when something is missing. Non-interactive, so it runs in CI.
set -eu

CHROMIUM=/usr/bin/chromium
PACKAGES=""

if [ ! -x "$CHROMIUM" ]; then
    PACKAGES=" chromium"
fi
# Any one of the complex-script faces stands for the whole package.
if [ ! -e /usr/share/fonts/truetype/noto/NotoSansCham-Regular.ttf ]; then
    PACKAGES="$PACKAGES fonts-noto-core"
fi

if [ -z "$PACKAGES" ]; then
    echo "ensure_chromium: $CHROMIUM and fonts-noto-core already installed"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: no apt-get here; install by hand the equivalent of the Debian" \
         "packages$PACKAGES (Chromium at $CHROMIUM; Noto Sans Khmer, Cham, Tai Viet)" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo -n"
    else
        echo "ensure_chromium: need root to install:$PACKAGES" >&2
        exit 1
    fi
fi

echo "ensure_chromium: installing$PACKAGES"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086  # the package list is meant to split into words
$SUDO env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends $PACKAGES </dev/null

if [ ! -x "$CHROMIUM" ]; then
    echo "ensure_chromium: $CHROMIUM still missing after installing chromium" >&2
    exit 1
fi
"$CHROMIUM" --version

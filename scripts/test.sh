#!/usr/bin/env bash
# Quick start, line 2: install what the tests need, then run the whole test suite.
#   - the course itself and the built book (scripts/setup.sh, which is quick when nothing changed);
#   - Debian's Chromium for the real-browser tests (installed here when run as root);
#   - axe-core from npm for the accessibility checks (pinned in tests/browser/package-lock.json).
# Extra arguments go to pytest, e.g. scripts/test.sh -k coach
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh

need_root() {
  echo "The browser tests need $1. As root this script installs it; otherwise run: sudo apt install $2" >&2
  exit 1
}
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> Installing Debian's Chromium for the browser tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    need_root "Chromium" "chromium chromium-driver"
  fi
fi
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> Installing npm (for axe-core)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  else
    need_root "npm" "npm"
  fi
fi
if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then
  echo "==> Installing axe-core for the accessibility checks"
  (cd tests/browser && npm ci --silent --no-audit --no-fund)
fi

echo "==> Running the tests"
exec .venv/bin/python -m pytest "$@"

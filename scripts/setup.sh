#!/usr/bin/env bash
# Quick start, line 1: make the course's own virtual environment (.venv), install the pinned dependencies
# and the course package, then build the executed book into _build/html/. Safe to run again: it only
# reinstalls when requirements.txt changes, and the book build reuses its execution cache.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "The course needs Python 3.11 or newer; '$PY' is $("$PY" --version 2>&1 || echo missing)." >&2
  echo "Install it (Debian/Ubuntu: sudo apt install python3) or run with PYTHON=/path/to/python3.11." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> Creating the virtual environment in .venv"
  if ! "$PY" -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    # Debian and Ubuntu ship venv's pip bootstrap in a separate package.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "==> Installing Debian's python3-venv (needed to make a virtual environment)"
      apt-get update -qq
      ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv "python${ver}-venv" >/dev/null \
        || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      "$PY" -m venv .venv
    else
      echo "Could not create a virtual environment. On Debian or Ubuntu run: sudo apt install python3-venv" >&2
      exit 1
    fi
  fi
fi

stamp=.venv/.requirements-installed
if [ ! -f "$stamp" ] || ! cmp -s requirements.txt "$stamp"; then
  echo "==> Installing the pinned dependencies (a few minutes the first time)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  cp requirements.txt "$stamp"
fi

echo "==> Building the book (notebook pages are executed; a warning fails the build)"
.venv/bin/jupyter-book build . --builder html -W -n --keep-going
# Sphinx 7.4 never overwrites a static file already in the output, and skips copying altogether when no page
# changed, so an edited stylesheet or script would not reach a cached build: copy ours over afresh.
cp -R book/_vendor_static/. _build/html/_static/
echo
echo "The course is built. Open this file in your browser:"
echo "  file://$PWD/_build/html/index.html"

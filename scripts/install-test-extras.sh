#!/usr/bin/env bash
# Install what the browser test needs: Debian's chromium and the playwright client library.
# Playwright's own `playwright install` downloads a browser build and fails offline, so the
# tests drive the distribution's /usr/bin/chromium through `executable_path` instead.
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-test-extras: /usr/bin/chromium missing and not root; browser tests will skip" >&2
    else
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
    fi
fi

if ! "$PYTHON" -c "import playwright" 2>/dev/null; then
    "$PYTHON" -m pip install --quiet "playwright>=1.45"
fi

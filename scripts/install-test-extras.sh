#!/usr/bin/env bash
# Install what the browser test needs beyond Python packages: Debian's chromium. The playwright
# client library comes with the dev extra (pyproject.toml). Playwright's own `playwright install`
# downloads a browser build and fails offline, so the tests drive the distribution's
# /usr/bin/chromium through `executable_path` instead.
#
# Idempotent and fast when everything is there (two checks, no network). In CI (CI set) a
# browser it cannot install is an error, so a CI run never silently skips the browser test.
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
CHROMIUM=/usr/bin/chromium

in_ci() {
    case "${CI:-}" in "" | 0 | false | no) return 1 ;; *) return 0 ;; esac
}

missing() {
    if in_ci; then
        echo "install-test-extras: $1 (CI is set, so the browser test must run)" >&2
        exit 1
    fi
    echo "install-test-extras: $1; the browser test will skip" >&2
}

if [ ! -x "$CHROMIUM" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        missing "$CHROMIUM is missing and installing it needs root (apt-get install chromium)"
    else
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
    fi
fi

if ! "$PYTHON" -c "import playwright" 2>/dev/null; then
    missing "the playwright package is missing (make install-dev installs the dev extra)"
fi

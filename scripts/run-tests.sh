#!/bin/sh
# The README's test command: installs, builds and runs every test (unit, integration against the
# real server on 127.0.0.1, and interop with the official Web SDK from npm).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
sh scripts/build.sh
# The official SDK, pinned by package-lock.json, for the interop test.
if [ -f tests/interop/package-lock.json ]; then
  (cd tests/interop && npm ci --no-audit --no-fund --loglevel=error)
fi
meson test -C _build --print-errorlogs --num-processes 2

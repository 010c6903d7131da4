#!/bin/sh
# Configures (once) and builds into _build. Idempotent.
set -eu
cd "$(dirname "$0")/.."
if [ ! -f _build/build.ninja ]; then
  meson setup _build
else
  meson setup --reconfigure _build >/dev/null
fi
ninja -C _build

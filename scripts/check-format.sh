#!/bin/sh
# Fails when a tracked C file differs from what .clang-format makes of it.
# Fix with: git ls-files '*.c' '*.h' | xargs clang-format -i
set -eu
cd "$(dirname "$0")/.."
git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror
echo "format: every tracked C file matches .clang-format"

#!/bin/sh
# Builds the project with AddressSanitizer, LeakSanitizer and UBSan in _build-asan and runs the
# wire, server, integration and libtim suites under them (docs/fuzzing.md, "Sanitizers"). Not part
# of .ci/run (it takes ~15 minutes on two cores). Tests that cannot run under ASan are left out:
# the ones that measure the server's memory (ASan's quarantine grows it), the TLS one
# (LeakSanitizer itself crashes in GnuTLS's threads), and test-json, which takes minutes under
# ASan (the fuzzing harness runs the same code under ASan, docs/fuzzing.md). The disk-fault tests
# run: tests/meson.build preloads ASan's runtime before the module.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
if [ ! -d _build-asan ]; then
  meson setup _build-asan -Db_sanitize=address,undefined -Db_lundef=false
fi
ninja -C _build-asan
export ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0
export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# GLib's slice allocator hides leaks from LeakSanitizer.
export G_SLICE=always-malloc
skip='test-json test-upload test-server-rest test-server-tls test-server-slow-reader'
tests=$(meson test -C _build-asan --no-rebuild --list --suite core --suite server \
  --suite integration --suite tim 2>/dev/null | grep ' / ' | sed 's/.* \/ //' | while read -r t; do
  case " $skip " in *" $t "*) ;; *) echo "$t" ;; esac
done)
# shellcheck disable=SC2086
meson test -C _build-asan --print-errorlogs --num-processes 1 --timeout-multiplier 4 $tests
# Its TLS case makes LeakSanitizer crash in GnuTLS's threads (as test-server-tls would): the rest
# of ASan and UBSan still run on it.
ASAN_OPTIONS=detect_leaks=0 meson test -C _build-asan --print-errorlogs --num-processes 1 \
  --timeout-multiplier 4 test-server-slow-reader

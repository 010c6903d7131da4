#!/bin/sh
# Checks a translation: msgfmt --check passes and no message is untranslated or fuzzy.
# Usage: test-po.sh PO-FILE
set -u
po=${1:?usage: test-po.sh PO-FILE}

stats=$(LC_ALL=C msgfmt --check --statistics "$po" -o /dev/null 2>&1)
status=$?
echo "$stats"
if [ $status -ne 0 ]; then
  echo "FAIL: msgfmt --check failed for $po" >&2
  exit 1
fi
case $stats in
  *untranslated* | *fuzzy*)
    echo "FAIL: $po has untranslated or fuzzy messages" >&2
    exit 1
    ;;
  *" translated message"*) ;;
  *)
    echo "FAIL: unexpected msgfmt output for $po" >&2
    exit 1
    ;;
esac
exit 0

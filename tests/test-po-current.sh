#!/bin/sh
# Checks that translators see every user-visible string and that a translation is current:
#   1. every source file that marks strings for translation is listed in po/POTFILES.in;
#   2. every message xgettext finds today has a finished translation in PO-FILE.
# The first catches a new file nobody listed (its strings would stay English in every
# language); the second a new or changed string nobody translated.
# Usage: test-po-current.sh SOURCE-ROOT PO-FILE
set -u
root=${1:?usage: test-po-current.sh SOURCE-ROOT PO-FILE}
po=${2:?usage: test-po-current.sh SOURCE-ROOT PO-FILE}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0

cd "$root" || exit 1
grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort >"$tmp/listed"
# _ ("…"), N_ ("…"), C_ ("ctx", "…") in C; translatable="yes" in GtkBuilder files.
grep -rlE '(^|[^A-Za-z0-9_])(N|C|NC)?_ \("|translatable="yes"' src --include='*.c' --include='*.ui' |
  sort >"$tmp/marking"
missing=$(comm -23 "$tmp/marking" "$tmp/listed")
if [ -n "$missing" ]; then
  echo "FAIL: these files mark strings for translation but are not in po/POTFILES.in:" >&2
  echo "$missing" >&2
  status=1
fi

# The same keywords as meson's i18n 'glib' preset, which builds po/timchat.pot.
if ! xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
  --keyword=NC_:1c,2 --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 \
  --keyword=g_dpgettext2:2c,3 --files-from=po/POTFILES.in --directory=. \
  --output="$tmp/current.pot" 2>"$tmp/xgettext.log"; then
  cat "$tmp/xgettext.log" >&2
  echo "FAIL: xgettext could not read the files in po/POTFILES.in" >&2
  exit 1
fi
msgmerge --quiet --no-fuzzy-matching "$po" "$tmp/current.pot" -o "$tmp/merged.po" || exit 1
stats=$(LC_ALL=C msgfmt --check --statistics "$tmp/merged.po" -o /dev/null 2>&1)
echo "$stats"
case $stats in
  *untranslated* | *fuzzy*)
    echo "FAIL: $po lacks translations of today's strings; run" >&2
    echo "  ninja -C _build timchat-pot timchat-update-po" >&2
    echo "and translate what is untranslated or fuzzy:" >&2
    msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep '^msgid' | sed 1d >&2
    status=1
    ;;
esac
exit $status

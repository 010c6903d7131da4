#!/bin/sh
# Runs a GTK test (or the app) headless: its own Xvfb (display picked with -displayfd, no race),
# its own D-Bus session bus (services it starts, like the a11y registry, print to /dev/null, not
# into the test's TAP output) with an unlocked throwaway keyring, a throwaway HOME, no GL.
# Usage: run-headless.sh COMMAND [ARGUMENT...]
set -eu

scratch=$(mktemp -d "${TMPDIR:-/tmp}/timchat-headless-XXXXXX")
mkdir -m 700 "$scratch/home" "$scratch/run"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$scratch/display" 2>/dev/null &
xvfb=$!
# The bus's own environment is what the services it starts get: the accessibility bus launcher
# puts its socket under XDG_RUNTIME_DIR, else under ~/.cache, which tests running side by side
# would share (and one of them would fail to connect to the other's, a fatal critical).
HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/run" \
  dbus-daemon --session --nofork --address="unix:path=$scratch/bus" >/dev/null 2>&1 &
bus=$!
# "|| true": under set -e a failing command in the EXIT trap becomes the script's status, and
# kill fails whenever the bus, killed below, has already been reaped: a test that passed then
# "failed" with status 1 (CI, 26 Nov: test-app-composer, all 11 subtests ok).
trap 'kill "$xvfb" "$bus" 2>/dev/null || true; rm -rf "$scratch"' EXIT INT TERM
for _ in $(seq 200); do
  [ -s "$scratch/display" ] && [ -S "$scratch/bus" ] && break
  sleep 0.05
done
export DISPLAY=":$(cat "$scratch/display")"
export DBUS_SESSION_BUS_ADDRESS="unix:path=$scratch/bus"
export HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/run"
export GDK_DEBUG=gl-disable GDK_BACKEND=x11
export GSETTINGS_SCHEMA_DIR="${TIMCHAT_BUILD_DIR:-.}/data" GSETTINGS_BACKEND=memory
unset XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME WAYLAND_DISPLAY

printf %s test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
# A crash leaves its core (where the kernel writes "core" files) for the backtrace below: a rare
# crash of a GTK test under CI's load is otherwise only "Segmentation fault" (27 Nov,
# test-app-playback, not reproduced in 30 runs since).
ulimit -c unlimited 2>/dev/null || true
rm -f core
status=0
"$@" || status=$?
if [ "$status" -gt 128 ] && [ -s core ] && command -v gdb >/dev/null; then
  echo "run-headless.sh: $1 died with status $status; its threads' stacks:" >&2
  gdb -batch -ex "thread apply all bt 25" "$1" core >&2 2>&1 || true
fi
rm -f core
# The keyring daemon and anything else on this bus go away with it.
kill "$bus" 2>/dev/null || true
exit "$status"

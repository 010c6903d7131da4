#!/bin/sh
# Runs a GTK test (or the app) headless: its own Xvfb (display picked with -displayfd, no race),
# a private D-Bus session with an unlocked throwaway keyring, a throwaway HOME, no GL.
# Usage: run-headless.sh COMMAND [ARGUMENT...]
set -eu

scratch=$(mktemp -d "${TMPDIR:-/tmp}/timchat-headless-XXXXXX")
mkdir -m 700 "$scratch/home" "$scratch/run"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$scratch/display" 2>/dev/null &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null; rm -rf "$scratch"' EXIT INT TERM
for _ in $(seq 100); do
  [ -s "$scratch/display" ] && break
  sleep 0.05
done
export DISPLAY=":$(cat "$scratch/display")"
export HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/run"
export GDK_DEBUG=gl-disable GDK_BACKEND=x11 NO_AT_BRIDGE=0
export GSETTINGS_SCHEMA_DIR="${TIMCHAT_BUILD_DIR:-.}/data" GSETTINGS_BACKEND=memory
unset XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME WAYLAND_DISPLAY

status=0
dbus-run-session -- sh -c \
  'printf %s test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' \
  sh "$@" || status=$?
exit "$status"

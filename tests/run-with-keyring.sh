#!/bin/sh
# Runs a command (a test) under its own D-Bus session bus with an unlocked gnome-keyring (secrets
# component only), in a throwaway HOME: the real keyring of whoever runs the tests is never
# touched, and nothing is left running (the daemon exits with the bus).
# Usage: run-with-keyring.sh COMMAND [ARGUMENT...]
set -eu

scratch=$(mktemp -d "${TMPDIR:-/tmp}/timchat-keyring-XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM
mkdir -m 700 "$scratch/home" "$scratch/run"
export HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/run"
unset XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME

status=0
dbus-run-session -- sh -c \
  'printf %s test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' \
  sh "$@" || status=$?
exit "$status"

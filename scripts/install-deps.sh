#!/bin/sh
# Installs everything TimChat needs to build and test on Debian 12 (run as root). Idempotent.
set -eu

packages="meson ninja-build pkg-config gcc git ca-certificates
  libglib2.0-dev libsoup-3.0-dev libjson-glib-dev libsqlite3-dev zlib1g-dev libgdk-pixbuf-2.0-dev
  glib-networking openssl clang-format python3
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  libsecret-1-dev gnome-keyring dbus libsecret-tools
  libgtk-4-dev libgtk-4-media-gstreamer libadwaita-1-dev xvfb xauth xclip imagemagick python3-pyatspi at-spi2-core
  gir1.2-atspi-2.0 python3-gi gettext desktop-file-utils appstream fonts-noto-color-emoji
  dunst shared-mime-info gdb libxtst6"

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# libgtk-4-media-gstreamer: GTK's media backend; without it voice and video messages do not play.
# dunst: a real notification daemon for test-app-notifications.
# shared-mime-info: what libtim tells a video or a voice clip by (its first bytes).
# libxtst6: test_app_press_key () types real keys into Xvfb through XTest (dlopen'ed).
# gdb: tests/run-headless.sh prints the stacks of a GTK test that crashed, from its core.
# dbus-x11 makes GDBus autolaunch session buses through X11 that outlive the tests: never install it.
# Node.js and npm run the official Web SDK interop test; keep a Node that is already there.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
  echo "Installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends $missing
fi

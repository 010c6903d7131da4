#!/bin/sh
# The README's run command: installs what is missing, builds, and opens TimChat against a
# timchat-server it starts on this computer (data in ~/.local/share/timchat/local-server), logged
# in as "me". A second account to chat with: _build/src/app/timchat --account friend --local friend
# Without a display (a server box) it runs the server alone and prints how to connect.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
sh scripts/build.sh
export TIMCHAT_SERVER="$PWD/_build/src/server/timchat-server"
export GSETTINGS_SCHEMA_DIR="$PWD/_build/data"

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "Starting TimChat. A second account to chat with:"
  echo "  TIMCHAT_SERVER=$TIMCHAT_SERVER GSETTINGS_SCHEMA_DIR=$GSETTINGS_SCHEMA_DIR _build/src/app/timchat --account friend --local friend"
  echo "Closing the window keeps TimChat running in the background (main menu: Run in Background);"
  echo "Ctrl+Q quits it."
  exec _build/src/app/timchat --local me
fi

data_dir="$PWD/_demo"
server=_build/src/server/timchat-server
mkdir -p "$data_dir"
"$server" usersig demo-admin --data-dir "$data_dir" >/dev/null   # writes the config on first run
sdkappid=$(sed -n 's/^sdkappid=//p' "$data_dir/timchat.conf")
cat <<MSG

No display: running timchat-server alone.
  data dir : $data_dir (config in timchat.conf)
  WebSocket: ws://127.0.0.1:8080/binfo   (official Web SDK: TIM.create({SDKAppID: $sdkappid, proxyServer: 'ws://127.0.0.1:8080'}))
  REST     : http://127.0.0.1:8080/v4/<service>/<command>?sdkappid=$sdkappid&identifier=administrator&usersig=...
  UserSigs : $server usersig alice --data-dir $data_dir
  CLI      : _build/src/cli/timchat-cli login --server ws://127.0.0.1:8080 --sdkappid $sdkappid --user alice --usersig \$($server usersig alice --data-dir $data_dir)

Press Ctrl+C to stop.
MSG
exec "$server" --data-dir "$data_dir" --listen 127.0.0.1:8080

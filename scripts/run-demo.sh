#!/bin/sh
# The README's run command: installs, builds and starts timchat-server with a demo configuration
# on 127.0.0.1:8080 (data in ./_demo), then prints how to connect.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
sh scripts/build.sh
data_dir="$PWD/_demo"
server=_build/src/server/timchat-server
mkdir -p "$data_dir"
"$server" usersig demo-admin --data-dir "$data_dir" >/dev/null   # writes the config on first run
sdkappid=$(sed -n 's/^sdkappid=//p' "$data_dir/timchat.conf")
cat <<MSG

timchat-server demo
  data dir : $data_dir (config in timchat.conf)
  WebSocket: ws://127.0.0.1:8080/binfo   (official Web SDK: TIM.create({SDKAppID: $sdkappid, proxyServer: 'ws://127.0.0.1:8080'}))
  REST     : http://127.0.0.1:8080/v4/<service>/<command>?sdkappid=$sdkappid&identifier=administrator&usersig=...
  UserSigs : $server usersig alice --data-dir $data_dir
  alice    : $("$server" usersig alice --data-dir "$data_dir")

Press Ctrl+C to stop.
MSG
exec "$server" --data-dir "$data_dir" --listen 127.0.0.1:8080

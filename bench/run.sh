#!/usr/bin/env bash
# Throughput of the daemon's read routes compared with its static ping, in one run on this machine.
# Prints requests/second and the ratio to ping (ratios, not absolute numbers, are what to compare:
# these machines are shared and noisy). Usage: bench/run.sh [seconds-per-route]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib/toolchain.sh"
secs="${1:-5}"
if ! command -v wrk >/dev/null 2>&1; then
  apt_install wrk
fi
ensure_jar
data="$(mktemp -d /tmp/lightd-bench-XXXX)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
token="lightd_benchbenchbenchbenchbenchbench0"
mport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$lightd_root/bin/ensure-docker"
image=$(bash "$lightd_root/fixtures/mc-standin/build.sh" 2>/dev/null | tail -1 | grep -o 'lightd-test/mc-standin:[0-9]*' || echo lightd-test/mc-standin:1)
cat >"$data/config.json" <<JSON
{"server": {"host": "127.0.0.1", "port": $port, "mcctl_port": $mport},
 "authorization": {"enabled": true, "token": "$token"},
 "mcctl": {"image": "$image"}}
JSON
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -jar "$lightd_root/target/lightd.jar" \
  serve --data "$data" >"$data/daemon.log" 2>&1 &
pid=$!
trap 'docker rm -f mc-bench >/dev/null 2>&1; kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$base/api/v1/public/ping" >/dev/null && break; sleep 0.2; done
auth="Authorization: Bearer $token"
for p in $(seq 25565 25614); do
  curl -sf -H "$auth" -X POST "$base/network/ports" -d "{\"ip\":\"0.0.0.0\",\"port\":$p,\"protocol\":\"tcp\"}" >/dev/null
done
vol=$(curl -sf -H "$auth" -X POST "$base/volumes" | sed 's/.*"volume_id":"\([^"]*\)".*/\1/')
key=$("$JAVA_HOME/bin/java" -jar "$lightd_root/target/lightd.jar" mcctl key create --data "$data" 2>/dev/null)
mc="http://127.0.0.1:$mport"
docker rm -f mc-bench >/dev/null 2>&1 || true
curl -sf -H "X-API-Key: $key" -X POST "$mc/api/servers" -d '{"name":"bench","autoStart":true}' >/dev/null
for _ in $(seq 1 60); do
  curl -sf -H "X-API-Key: $key" -X POST "$mc/api/servers/bench/exec" -d '{"command":"list"}' >/dev/null && break; sleep 0.5
done
sleep 3 # one refresh round: players and stats are in memory
# warm-up so the JIT has seen every route
for path in /api/v1/public/ping /network/ports /volumes "/volumes/$vol"; do
  wrk -t2 -c16 -d2s -H "$auth" "$base$path" >/dev/null
done
printf '%-34s %12s %8s\n' route 'req/s' 'vs ping'
ping_rps=""
measure() { # label url header
  local rps
  rps=$(wrk -t2 -c16 -d"${secs}s" -H "$3" "$2" | awk '/Requests\/sec/ {print $2}')
  [ -z "$ping_rps" ] && ping_rps=$rps
  printf '%-34s %12.0f %8.2f\n' "$1" "$rps" "$(echo "$rps / $ping_rps" | bc -l)"
}
for path in /api/v1/public/ping /network/ports "/network/ports/0.0.0.0/25565" /volumes "/volumes/${vol:0:8}"; do
  measure "GET $path" "$base$path" "$auth"
done
wrk -t2 -c16 -d2s -H "X-API-Key: $key" "$mc/api/servers/bench" >/dev/null
for path in /health /api/servers /api/servers/bench /api/worlds; do
  measure "GET mcctl $path" "$mc$path" "X-API-Key: $key"
done

#!/usr/bin/env bash
# Cost of the disk-quota walk on a volume of 100,000 files (1,000 folders of 100 one-KiB files):
# the periodic walk's own time (from the daemon's debug log, walks every 3 s), then the time of API
# writes into the limited volume (which consult the kept figure, never walk).
# Usage: bench/quota-walk.sh [files]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../bin/lib/toolchain.sh"
files="${1:-100000}"
ensure_jar
data="$(mktemp -d /tmp/lightd-bench-XXXX)"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
token="lightd_benchbenchbenchbenchbenchbench0"
cat >"$data/config.json" <<JSON
{"server": {"host": "127.0.0.1", "port": $port, "mcctl_port": $mport},
 "authorization": {"enabled": true, "token": "$token"},
 "storage": {"disk_check_interval_ms": 3000}}
JSON
LIGHTD_LOG_LEVEL=DEBUG "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC \
  -jar "$lightd_root/target/lightd.jar" serve --data "$data" >"$data/daemon.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$base/api/v1/public/ping" >/dev/null && break; sleep 0.2; done
auth="Authorization: Bearer $token"
vol=$(curl -sf -H "$auth" -X POST "$base/volumes" -d '{"disk_limit":10737418240}' | sed 's/.*"volume_id":"\([^"]*\)".*/\1/')
python3 - "$data/volumes/$vol" "$files" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
blob = b"x" * 1024
for i in range(n):
    d = os.path.join(root, "d%04d" % (i // 100))
    if i % 100 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%03d" % (i % 100)), "wb") as f:
        f.write(blob)
PY
sleep 10 # three or four walks (every 3 s) of the filled volume
grep -o 'event=volume_measured.*' "$data/daemon.log" | tail -4
for i in 1 2 3; do
  t=$(curl -s -o /dev/null -w '%{time_total}' -H "$auth" -X POST "$base/volumes/$vol/files" \
      -d "{\"path\":\"probe$i.txt\",\"content\":\"x\"}")
  echo "write $i into the limited volume: ${t}s (the figure is kept: no walk per write)"
done
echo "files: $files"

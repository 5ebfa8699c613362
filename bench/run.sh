#!/usr/bin/env bash
# Lightd against what an operator would compare it with, measured side by side in one run on this
# machine, printed as one table: figure, ours, the reference, ours/reference, the goal.
# Usage: bench/run.sh [seconds-per-route]   (BENCH_TREE_MB=500 sets the archive tree's size;
#   BENCH_SECTIONS="footprint api console lifecycle archives" picks parts, all by default)
# Needs root (apt-get for missing tools) and Docker (bin/ensure-docker). Everything it makes is named
# zz-lightd-bench-<pid>… or lives in /tmp/lightd-bench-*, and is removed on exit, failed or not.
set -euo pipefail

# Cleanup first, so that a failure at any later step leaves nothing behind.
prefix="zz-lightd-bench-$$"
work=""
daemon_pid=""
cleanup() {
  set +e
  if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null; wait "$daemon_pid" 2>/dev/null; fi
  docker ps -aq --filter "name=$prefix" 2>/dev/null | xargs -r docker rm -f >/dev/null 2>&1
  if [ -n "$work" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$bench/../bin/lib/toolchain.sh"
source "$lightd_root/bin/lib/jvm.sh"
secs="${1:-5}"
tree_mb="${BENCH_TREE_MB:-500}"
fail() { echo "bench: $*" >&2; exit 1; }
sections=" ${BENCH_SECTIONS:-footprint api console lifecycle archives} "
want() { [[ "$sections" == *" $1 "* ]]; }
say() { echo "bench: $*" >&2; }

# Tools, installed the way bin/ installs things.
missing=()
for tool in wrk python3 curl jq pigz zstd zip unzip; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]} from Debian's packages"
  apt_install "${missing[@]}"
fi
ensure_jar
"$lightd_root/bin/ensure-docker"
bash "$lightd_root/src/test/images/build-base-images.sh" >/dev/null || fail "building the busybox test image failed"
bash "$lightd_root/fixtures/mc-standin/build.sh" >/dev/null || fail "building the Minecraft stand-in image failed"
busybox=lightd-test/busybox:1
standin=lightd-test/mc-standin:1

work="$(mktemp -d /tmp/lightd-bench-XXXXXX)"
data="$work/data"
mkdir -p "$data"
token="lightd_bench_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
mport=$(free_port)
# The console figures measure how fast lines reach clients, so the flood budget (20,000 lines/s per
# container by default) is lifted, and the cap of 30 sockets per container raised for 100 clients.
stall_ms=5000
cat >"$data/config.json" <<JSON
{"server": {"host": "127.0.0.1", "port": $port, "mcctl_port": $mport},
 "authorization": {"enabled": true, "token": "$token"},
 "storage": {"max_extract_bytes": 4294967296, "max_extract_entries": 1000000},
 "console": {"output_lines_per_second": 100000000, "output_burst_lines": 100000000, "max_clients_per_container": 110},
 "monitoring": {"console_stall_timeout_ms": $stall_ms},
 "mcctl": {"image": "$standin"}}
JSON
base="http://127.0.0.1:$port"
mc="http://127.0.0.1:$mport"
auth="Authorization: Bearer $token"
probe() { python3 "$bench/lib/probe.py" "$@"; }
api() { # METHOD PATH [BODY]: a Lightd call that must answer 2xx
  curl -sS --fail-with-body -X "$1" -H "$auth" -H 'Content-Type: application/json' ${3:+-d "$3"} "$base$2" \
    || fail "$1 $2 did not answer 2xx"
}
mcapi() { # METHOD PATH [BODY]: an mcctl call that must answer 2xx
  curl -sS --fail-with-body -X "$1" -H "X-API-Key: $mckey" -H 'Content-Type: application/json' ${3:+-d "$3"} "$mc$2" \
    || fail "mcctl $1 $2 did not answer 2xx"
}

rows=()
row() { rows+=("$(printf '%s\t%s\t%s\t%s\t%s' "$@")"); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
field() { jq -r ".$1"; }
wait_for() { # container field value: polls the detail for up to 2 minutes
  local _
  for _ in $(seq 1 240); do
    [ "$(api GET "/containers/$1" | jq -r ".$2")" = "$3" ] && return 0
    sleep 0.5
  done
  fail "container $1: $2 did not become $3"
}

# ---------------------------------------------------------------- footprint: start-up
# Ours: bin/lightd serve (its JVM flags and start-up cache). Reference: the same jar by plain
# `java -jar` with the flags bin/lightd used before (no cache, default heap). Same data folder: a
# restart, as an operator's daemon starts. The first start (store creation, cache) is not counted.
if want footprint; then
say "footprint: start-up, 3 + 3 starts"
probe start "$port" 0 -- "$lightd_root/bin/lightd" serve --data "$data" >/dev/null
plain=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xss512k -jar "$lightd_root/target/lightd.jar")
ours_ping=(); ref_ping=(); ours_cpu=(); ref_cpu=(); ours_rss=(); ref_rss=()
for _ in 1 2 3; do
  o=$(probe start "$port" 10 -- "$lightd_root/bin/lightd" serve --data "$data")
  r=$(probe start "$port" 10 -- "${plain[@]}" serve --data "$data")
  ours_ping+=("$(field ping_s <<<"$o")"); ref_ping+=("$(field ping_s <<<"$r")")
  ours_cpu+=("$(field cpu_s_to_ping <<<"$o")"); ref_cpu+=("$(field cpu_s_to_ping <<<"$r")")
  ours_rss+=("$(field rss_mb <<<"$o")"); ref_rss+=("$(field rss_mb <<<"$r")")
done
m_op=$(median <<<"${ours_ping[*]}"); m_rp=$(median <<<"${ref_ping[*]}")
m_oc=$(median <<<"${ours_cpu[*]}"); m_rc=$(median <<<"${ref_cpu[*]}")
m_or=$(median <<<"${ours_rss[*]}"); m_rr=$(median <<<"${ref_rss[*]}")
row "start to first ping, s (median of 3)" "$m_op" "$m_rp (plain java -jar)" "$(ratio "$m_op" "$m_rp")" "< 1"
row "CPU used until first ping, s" "$m_oc" "$m_rc (plain java -jar)" "$(ratio "$m_oc" "$m_rc")" "-"
row "RSS 10 s after start, MB" "$m_or" "$m_rr (plain java -jar)" "$(ratio "$m_or" "$m_rr")" "< 100"
fi

# ---------------------------------------------------------------- the daemon for the rest of the run
"$lightd_root/bin/lightd" serve --data "$data" >"$work/daemon.log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 600); do curl -sf "$base/api/v1/public/ping" >/dev/null && break; sleep 0.2; done
curl -sf "$base/api/v1/public/ping" >/dev/null || fail "the daemon did not answer (log: $work/daemon.log)"
mckey=$("$lightd_root/bin/lightd" mcctl key create --data "$data" 2>/dev/null)

# wrk with --latency: requests/s, p50 and p99 in ms; any non-2xx answer or socket error fails the run.
wrk_json() { # URL HEADER SECONDS
  local out
  out=$(wrk -t2 -c16 -d"${3}s" --latency -H "$2" "$1")
  if grep -qE 'Non-2xx or 3xx responses|Socket errors' <<<"$out"; then
    echo "$out" >&2
    fail "$1 answered something other than 2xx, or sockets failed"
  fi
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    END { printf "{\"rps\":%.0f,\"p50\":%.2f,\"p99\":%.2f}\n", rps, p50, p99 }' <<<"$out"
}
declare -A static_rps
measure_static() { # face: lightd|mcctl; measured right before the routes compared with it
  if [ "$1" = lightd ]; then
    static_rps[$1]=$(wrk_json "$base/api/v1/public/ping" "$auth" "$secs" | field rps)
  else
    static_rps[$1]=$(wrk_json "$mc/health" "X-API-Key: $mckey" "$secs" | field rps)
  fi
}
api_row() { # label face url header rps-goal p99-goal-ms
  local j rps p50 p99
  j=$(wrk_json "$3" "$4" "$secs")
  rps=$(field rps <<<"$j"); p50=$(field p50 <<<"$j"); p99=$(field p99 <<<"$j")
  row "$1 req/s (p50/p99 ms)" "$rps ($p50/$p99)" "${static_rps[$2]} (static route)" \
    "$(ratio "$rps" "${static_rps[$2]}")" "ratio >= $5, p99 < $6 ms"
}

# ---------------------------------------------------------------- API
say "API: filling the store (ports, volumes, containers) and starting 10 stand-in servers"
add_ports() { # from to
  local p
  for p in $(seq "$1" "$2"); do
    api POST /network/ports "{\"ip\":\"127.0.0.1\",\"port\":$p,\"protocol\":\"tcp\"}" >/dev/null
  done
}
for _ in $(seq 1 10); do api POST /volumes >/dev/null; done
add_ports 30000 30009
for i in $(seq 1 10); do
  mcapi POST /api/servers "{\"name\":\"$prefix-$i\",\"autoStart\":true}" >/dev/null
done
vol=$(api POST /volumes | jq -r .volume_id)
new_container() { # id
  api POST /containers "{\"internal_id\":\"$1\",\"image\":\"$busybox\",\"volume_id\":\"$vol\",\"startup_command\":\"sleep 3600\"}" >/dev/null
}
for i in $(seq 1 10); do new_container "$prefix-c$i"; done
for _ in $(seq 1 240); do # the stand-ins run when each answers exec (RCON up)
  up=0
  for i in $(seq 1 10); do
    curl -sf -H "X-API-Key: $mckey" -X POST "$mc/api/servers/$prefix-$i/exec" -d '{"command":"list"}' >/dev/null && up=$((up + 1))
  done
  [ "$up" -eq 10 ] && break
  sleep 1
done
[ "$up" -eq 10 ] || fail "only $up of 10 stand-in servers came up"
sleep 3 # one stats round: players and stats are in memory
for path in /api/v1/public/ping /containers /volumes /network/ports; do wrk -t2 -c16 -d2s -H "$auth" "$base$path" >/dev/null; done
for path in /health /api/servers "/api/servers/$prefix-1"; do wrk -t2 -c16 -d2s -H "X-API-Key: $mckey" "$mc$path" >/dev/null; done
fp=$(probe proc "$daemon_pid")
row "RSS with 10 servers running, MB (threads, fds)" "$(field rss_mb <<<"$fp") ($(field threads <<<"$fp"), $(field fds <<<"$fp"))" "-" "-" "-"

if want api; then
say "API: routes against the static route of the same face"
measure_static mcctl
api_row "mcctl GET /api/servers (10 running)" mcctl "$mc/api/servers" "X-API-Key: $mckey" 0.8 5
api_row "mcctl GET /api/servers/:name" mcctl "$mc/api/servers/$prefix-1" "X-API-Key: $mckey" 0.5 10
measure_static lightd
api_row "GET /containers (10)" lightd "$base/containers" "$auth" 0.8 5
api_row "GET /volumes (11)" lightd "$base/volumes" "$auth" 0.8 5
api_row "GET /network/ports (10)" lightd "$base/network/ports" "$auth" 0.8 5
say "API: growth to 100 containers and 100, 1000 ports"
for i in $(seq 11 100); do new_container "$prefix-c$i"; done
add_ports 30010 30099
measure_static lightd
api_row "GET /containers (100)" lightd "$base/containers" "$auth" 0.8 5
api_row "GET /containers/:id (of 100)" lightd "$base/containers/$prefix-c1" "$auth" 0.5 10
api_row "GET /network/ports (100)" lightd "$base/network/ports" "$auth" 0.8 5
add_ports 30100 30999
api_row "GET /network/ports (1000)" lightd "$base/network/ports" "$auth" 0.8 5
for i in $(seq 11 100); do api DELETE "/containers/$prefix-c$i" >/dev/null; done
fi

# ---------------------------------------------------------------- console
if want console; then
say "console: one container printing numbered lines as fast as it can"
api POST /containers "{\"internal_id\":\"$prefix-log\",\"image\":\"$busybox\",\"volume_id\":\"$vol\",\"startup_command\":\"i=0; while :; do echo L\$i; i=\$((i+1)); done\"}" >/dev/null
wait_for "$prefix-log" install_state ready
probe power "$base" "$token" "$prefix-log" start running >/dev/null
sleep 1
ws="ws://127.0.0.1:$port/ws/$prefix-log?token=$token"
wslines() { "$JAVA_HOME/bin/java" "$bench/lib/WsLines.java" "$ws" "$@"; }
# new lines only (--tail 0): --since would first read the whole log file of a container that floods
ref_lps=$(( $( (timeout "$secs" docker logs -f --tail 0 "lightd-$prefix-log" 2>/dev/null || true) | wc -l) / secs ))
one=$(wslines 1 "$secs")
row "console lines/s to 1 WebSocket client (lines lost)" "$(field median_lps <<<"$one") ($(field lost <<<"$one"))" \
  "$ref_lps (docker logs -f)" "$(ratio "$(field median_lps <<<"$one")" "$ref_lps")" ">= 1, none lost"
# long enough for the stalled client's socket buffers to fill and its stall timeout to pass
stall_secs=$(( stall_ms / 1000 + 6 ))
ten=$(wslines 10 "$stall_secs")
stalled=$(wslines 10 "$stall_secs" stall)
stall_at=$(field stall_started_ms <<<"$stalled")
dropped_at=$(grep 'event=console_subscriber_dropped' "$work/daemon.log" | cut -d' ' -f1 | while read -r t; do
  date -d "$t" +%s%3N; done | awk -v s="$stall_at" '$1 >= s { print; exit }')
drop_s=$( [ -n "$dropped_at" ] && awk -v a="$stall_at" -v b="$dropped_at" 'BEGIN { printf "%.1f", (b - a) / 1000 }' || echo "not dropped")
row "console, 10 clients, one more stops reading: median lines/s each" "$(field median_lps <<<"$stalled")" \
  "$(field median_lps <<<"$ten") (10 clients, none stalled)" \
  "$(ratio "$(field median_lps <<<"$stalled")" "$(field median_lps <<<"$ten")")" ">= 1"
row "console, the client that stopped reading dropped after, s" "$drop_s" "$((stall_ms / 1000)) (console_stall_timeout_ms)" \
  "$( [ -n "$dropped_at" ] && ratio "$drop_s" "$((stall_ms / 1000))" || echo -)" "<= 1 + the socket buffers"
hundred=$(wslines 100 "$secs")
fp=$(probe proc "$daemon_pid")
row "console, 100 clients: min/median lines/s each" \
  "$(field min_lps <<<"$hundred")/$(field median_lps <<<"$hundred")" "$ref_lps (docker logs -f)" \
  "$(ratio "$(field min_lps <<<"$hundred")" "$ref_lps")" ">= 20000 each"
row "console, 100 clients: lines lost (clients silent)" "$(field lost <<<"$hundred") ($(field silent <<<"$hundred"))" "-" "-" "0"
row "RSS with 100 console clients, MB (threads, fds)" "$(field rss_mb <<<"$fp") ($(field threads <<<"$fp"), $(field fds <<<"$fp"))" "-" "-" "-"
api POST "/containers/$prefix-log/kill" >/dev/null

say "console: mcctl SSE logs of a stand-in printing numbered lines as fast as it can"
(timeout "$((secs + 1))" curl -sN -H "X-API-Key: $mckey" "$mc/api/servers/$prefix-1/logs?follow=true&lines=1" \
  >"$work/sse.txt" 2>/dev/null || true) &
sse_pid=$!
(timeout "$((secs + 1))" docker logs -f --tail 0 "mc-$prefix-1" >"$work/sse-ref.txt" 2>/dev/null || true) &
ref_pid=$!
sleep 0.5
mcapi POST "/api/servers/$prefix-1/exec" '{"command":"fake-spam 100000000"}' >/dev/null
wait "$sse_pid" "$ref_pid"
mcapi POST "/api/servers/$prefix-1/restart" >/dev/null # ends the spam
sse_lines=$(grep -o '"log":"L[0-9]*"' "$work/sse.txt" | tr -dc '0-9\n' | awk 'NR > 1 && $1 != prev + 1 { lost += $1 - prev - 1 } { prev = $1; n++ } END { printf "%d %d", n, lost }')
sse_ref=$(grep -c '^L[0-9]' "$work/sse-ref.txt" || true)
sse_lps=$(( ${sse_lines% *} / (secs + 1) )); sse_ref_lps=$(( sse_ref / (secs + 1) ))
row "mcctl SSE logs lines/s to 1 client (lines lost)" "$sse_lps (${sse_lines#* })" "$sse_ref_lps (docker logs -f)" \
  "$(ratio "$sse_lps" "$sse_ref_lps")" ">= 1, none lost"
fi

# ---------------------------------------------------------------- lifecycle
if want lifecycle; then
say "lifecycle: start to running, create + install"
api POST /containers "{\"internal_id\":\"$prefix-life\",\"image\":\"$busybox\",\"volume_id\":\"$vol\",\"startup_command\":\"echo ready; sleep 3600\",\"start_pattern\":\"ready\"}" >/dev/null
wait_for "$prefix-life" install_state ready
# The reference container is confined and connected as Lightd made its own (read back from the
# engine: network, PID/memory/CPU limits, dropped capabilities, no-new-privileges, /tmp tmpfs, the
# volume): the engine's start of such a container costs more than that of a bare one (measured:
# about 0.3-0.5 s more here), which is the engine's work, not the daemon's. A bare container is
# measured too, for comparison.
mapfile -t same < <(docker inspect "lightd-$prefix-life" | jq -r '.[0] as $c | $c.HostConfig as $h
  | ["--network", $h.NetworkMode]
  + (if ($h.PidsLimit // 0) > 0 then ["--pids-limit", ($h.PidsLimit | tostring)] else [] end)
  + ([$h.SecurityOpt // [] | .[] | ["--security-opt", .]] | add // [])
  + ([$h.CapDrop // [] | .[] | ["--cap-drop", .]] | add // [])
  + ([$h.Tmpfs // {} | to_entries[] | ["--tmpfs", "\(.key):\(.value)"]] | add // [])
  + ([$h.Binds // [] | .[] | ["-v", .]] | add // [])
  + (if ($h.Memory // 0) > 0 then ["--memory", ($h.Memory | tostring), "--memory-swap", ($h.MemorySwap | tostring)] else [] end)
  + (if ($h.NanoCpus // 0) > 0 then ["--cpus", ($h.NanoCpus / 1e9 | tostring)] else [] end)
  + (if $c.Config.OpenStdin then ["-i"] else [] end)
  + ["-w", $c.Config.WorkingDir] | .[]')
[ "${#same[@]}" -gt 4 ] || fail "could not read the confinement of lightd-$prefix-life"
docker create --name "$prefix-ref" "${same[@]}" "$busybox" sh -c 'echo ready; sleep 3600' >/dev/null
docker create --name "$prefix-bare" "$busybox" sh -c 'echo ready; sleep 3600' >/dev/null
# Ours waits on the console WebSocket for the state event, the reference on `docker logs -f`: both pushed.
ours=(); ref=(); bare=()
for _ in 1 2 3; do
  ours+=("$(probe power "$base" "$token" "$prefix-life" start running | field s)")
  probe power "$base" "$token" "$prefix-life" kill offline >/dev/null
  ref+=("$(probe docker-start "$prefix-ref" ready | field s)")
  docker kill "$prefix-ref" >/dev/null
  bare+=("$(probe docker-start "$prefix-bare" ready | field s)")
  docker kill "$prefix-bare" >/dev/null
done
mo=$(median <<<"${ours[*]}"); mr=$(median <<<"${ref[*]}"); mb=$(median <<<"${bare[*]}")
row "POST start to running, s (median of 3)" "$mo" "$mr (docker start + logs -f, same confinement)" "$(ratio "$mo" "$mr")" "<= 1.10"
row "POST start to running against a bare container, s" "$mo" "$mb (docker start + logs -f, bare)" "$(ratio "$mo" "$mb")" "-"
ours=(); ref=()
for i in 1 2 3; do
  ours+=("$(probe install "$base" "$token" "{\"internal_id\":\"$prefix-inst$i\",\"image\":\"$busybox\",\"volume_id\":\"$vol\",\"startup_command\":\"true\",\"install_script\":\"echo installed\"}" | field s)")
  t0=$(date +%s%N)
  docker run --rm --name "$prefix-refinst" "${same[@]}" "$busybox" sh -c 'echo installed' </dev/null >/dev/null
  ref+=("$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')")
done
mo=$(median <<<"${ours[*]}"); mr=$(median <<<"${ref[*]}")
row "create + install (echo), s (median of 3)" "$mo" "$mr (docker run --rm, same confinement)" "$(ratio "$mo" "$mr")" "-"
fi

# ---------------------------------------------------------------- archives
if want archives; then
say "archives: a ${tree_mb} MB tree (a few big files, thousands of small ones)"
vpath=$(api GET "/volumes/$vol" | jq -r .path)
python3 - "$vpath/tree" "$tree_mb" <<'PY'
import os, random, sys
root, mb = sys.argv[1], int(sys.argv[2])
random.seed(7)
words = [("".join(random.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(random.randint(2, 9)))).encode()
         for _ in range(5000)]
def text(n):  # log- and config-like: compresses about 3:1
    out, size = [], 0
    while size < n:
        line = b" ".join(random.choice(words) for _ in range(12)) + b"\n"
        out.append(line); size += len(line)
    return b"".join(out)[:n]
block = text(1 << 20)
big = mb * 6 // 10
os.makedirs(f"{root}/world/region", exist_ok=True)
for i in range(2):  # half random (like region files and jars), half text (like logs)
    with open(f"{root}/world/region/r.{i}.mca", "wb") as f:
        f.write(os.urandom(big // 4 << 20))
    with open(f"{root}/logs-{i}.log", "wb") as f:
        for _ in range(big // 4):
            f.write(block)
small = (mb - big) << 20
n = small // (40 << 10)
for i in range(n):
    d = f"{root}/plugins/p{i % 50}/data"
    os.makedirs(d, exist_ok=True)
    with open(f"{d}/f{i}.yml", "wb") as f:
        f.write(text(random.randint(1 << 10, 79 << 10)) if i % 3 else os.urandom(random.randint(1 << 10, 79 << 10)))
PY
sync
timed() { local t0; t0=$(date +%s%N); "$@"; awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }
lightd_compress() { api POST "/volumes/$vol/compress" "{\"format\":\"$1\",\"path\":\"tree\",\"output_name\":\"out\"}" >/dev/null; }
lightd_extract() { api POST "/volumes/$vol/decompress" "{\"archive_path\":\"$1\",\"destination\":\"x-$2\"}" >/dev/null; }
ref_dir="$work/ref"
mkdir -p "$ref_dir"
archive_row() { # label ours-s ref-s ref-label ours-size ref-size goal
  row "$1, s (size MB)" "$2 ($(( $5 / 1048576 )))" "$3 ($(( $6 / 1048576 ))) ($4)" "$(ratio "$2" "$3")" "$7"
}
size() { stat -c %s "$1"; }
cd "$vpath"
t_ours=$(timed lightd_compress tar.gz); s_ours=$(size "$vpath/out.tar.gz")
t_pigz=$(timed sh -c "tar cf - tree | pigz -p2 > '$ref_dir/r.tar.gz'"); s_pigz=$(size "$ref_dir/r.tar.gz")
archive_row "compress tar.gz" "$t_ours" "$t_pigz" "tar | pigz -p2" "$s_ours" "$s_pigz" "<= 1.00"
t_tar=$(timed tar czf "$ref_dir/g.tar.gz" tree); s_tar=$(size "$ref_dir/g.tar.gz")
archive_row "compress tar.gz" "$t_ours" "$t_tar" "tar czf" "$s_ours" "$s_tar" "<= 1.00"
t_ours=$(timed lightd_compress tar.zst); s_ours=$(size "$vpath/out.tar.zst")
t_ref=$(timed sh -c "tar cf - tree | zstd -q -T0 -3 > '$ref_dir/r.tar.zst'"); s_ref=$(size "$ref_dir/r.tar.zst")
archive_row "compress tar.zst" "$t_ours" "$t_ref" "tar | zstd -T0 -3" "$s_ours" "$s_ref" "<= 1.00"
t_ours=$(timed lightd_compress zip); s_ours=$(size "$vpath/out.zip")
t_ref=$(timed zip -qr "$ref_dir/r.zip" tree); s_ref=$(size "$ref_dir/r.zip")
archive_row "compress zip" "$t_ours" "$t_ref" "zip -r" "$s_ours" "$s_ref" "<= 1.00"
extract_ref() { rm -rf "$ref_dir/x"; mkdir -p "$ref_dir/x"; cd "$ref_dir/x"; "$@"; cd "$vpath"; }
t_ours=$(timed lightd_extract out.tar.gz gz)
t_ref=$(timed extract_ref tar xzf "$ref_dir/g.tar.gz")
archive_row "extract tar.gz" "$t_ours" "$t_ref" "tar xzf" "$s_tar" "$s_tar" "<= 1.00"
rm -rf "$vpath/x-gz"
t_ours=$(timed lightd_extract out.tar.zst zst)
t_ref=$(timed extract_ref sh -c "zstd -q -d -c '$ref_dir/r.tar.zst' | tar xf -")
archive_row "extract tar.zst" "$t_ours" "$t_ref" "zstd -d | tar x" "$(size "$vpath/out.tar.zst")" "$(size "$ref_dir/r.tar.zst")" "<= 1.00"
rm -rf "$vpath/x-zst"
t_ours=$(timed lightd_extract out.zip zip)
t_ref=$(timed extract_ref unzip -q "$ref_dir/r.zip")
archive_row "extract zip" "$t_ours" "$t_ref" "unzip" "$(size "$vpath/out.zip")" "$(size "$ref_dir/r.zip")" "<= 1.00"
cd "$lightd_root"
rm -rf "$vpath/x-zip" "$ref_dir"

fi
fp=$(probe proc "$daemon_pid")
row "RSS after the whole run, MB (threads, fds)" "$(field rss_mb <<<"$fp") ($(field threads <<<"$fp"), $(field fds <<<"$fp"))" "-" "-" "-"
# The daemon gives a heap grown by the run back at its next heap trim (monitoring.heap_trim_interval_ms,
# 60 s by default) and glibc's freed memory within 5 s of that: the RSS an operator sees once it is quiet.
say "footprint: waiting 70 s for the heap trim"
sleep 70
fp=$(probe proc "$daemon_pid")
row "RSS 70 s after the whole run (heap trimmed), MB (threads, fds)" "$(field rss_mb <<<"$fp") ($(field threads <<<"$fp"), $(field fds <<<"$fp"))" "-" "-" "< 100 idle"

# ---------------------------------------------------------------- the table
echo
echo "Lightd bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| figure | ours | reference (same run) | ours/ref | goal |"
echo "|---|---|---|---|---|"
for r in "${rows[@]}"; do
  IFS=$'\t' read -r a b c d e <<<"$r"
  echo "| ${a//|/\\|} | ${b//|/\\|} | ${c//|/\\|} | ${d//|/\\|} | ${e//|/\\|} |" # a | inside a cell is escaped
done

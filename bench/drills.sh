#!/usr/bin/env bash
# Fault drills (issue 13), separate from the benchmarks, loopback only; prints one table.
# Usage: bench/drills.sh [rounds]   full mode, about 15 minutes: ROUNDS (20) kill -9 rounds, 3 engine
#                                   stop/start cycles, 10,000 adversarial requests, a 5-minute soak
#        bench/drills.sh --short    every drill in a few rounds (2 kill -9 rounds, 1 engine cycle, 500
#                                   adversarial requests, a 20 s soak), about 3 minutes; bin/test runs it
# Both modes fail (exit 1, after the table) when a drill finds something wrong: an answered write
# lost, a torn file, a 5xx, a server not back after an engine restart, a container the engine and
# the store disagree on, a console line lost, a failed read. Timings are printed, never asserted.
#
# 1. kill -9 (bench/lib/killdrill.py, its own daemon and data folder): 4 clients write files, make
#    volumes, add ports and mint tokens while the daemon is killed with SIGKILL at a random moment;
#    after each restart every write answered 2xx is there (files byte for byte), no file is torn.
# 2. engine stop/start (bench/lib/EngineDrill.java): dockerd is stopped with SIGTERM and started
#    again (bin/ensure-docker) under 3 Lightd containers and 2 mcctl servers; after each cycle each
#    one runs, its console echoes (WebSocket) or its RCON answers `list`, and the engine and the
#    store hold the same containers. This stops the machine's Docker engine: run the drills only
#    where that is allowed (the tests take /tmp/lightd-it.lock around it). The engine is left running.
# 3. soak (bench/lib/Soak.java): 50 console WebSockets on a container printing ~200 numbered lines/s
#    plus ~100 req/s of mixed reads on both faces; every 30 s (10 s short) lines lost, errors, read
#    p99 and the daemon's RSS, threads, descriptors.
# 4. adversarial (bench/lib/Adversarial.java, when present): malformed requests across every route
#    of both faces; no 5xx, every error JSON, daemon alive, RSS bounded, nothing written outside.
# Everything it makes is named zz-lightd-drill-<pid>… or lives in /tmp/lightd-drill-*, removed on exit.
set -euo pipefail

# Cleanup first, so that a failure at any later step leaves nothing behind (and the engine running).
prefix="zz-lightd-drill-$$"
work=""
daemon_pid=""
cleanup() {
  set +e
  if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null; wait "$daemon_pid" 2>/dev/null; fi
  start_engine
  docker ps -aq --filter "name=$prefix" 2>/dev/null | xargs -r docker rm -f >/dev/null 2>&1
  if [ -n "$work" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$bench/../bin/lib/toolchain.sh"
fail() { echo "drills: $*" >&2; exit 1; }
say() { echo "drills: [${SECONDS} s] $*" >&2; }
# bin/ensure-docker with no descriptor beyond 0-2 open: a dockerd started here must not inherit (and
# hold for its whole life) the lock file these drills run under.
start_engine() {
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd="${fd##*/}"
      if [ "$fd" -gt 2 ] && [ "$fd" -lt 255 ]; then eval "exec $fd>&-"; fi
    done
    exec "$lightd_root/bin/ensure-docker"
  ) >&2
}

short=""
if [ "${1:-}" = "--short" ]; then
  short=1
  rounds=2 cycles=1 adversarial=500 soak_s=20 soak_every=10
else
  rounds="${1:-20}" cycles=3 adversarial=10000 soak_s=300 soak_every=30
fi
soak_clients=50 soak_rps=100

command -v python3 >/dev/null 2>&1 || apt_install python3
ensure_jar
start_engine
bash "$lightd_root/src/test/images/build-base-images.sh" >&2 || fail "building the busybox test image failed"
bash "$lightd_root/fixtures/mc-standin/build.sh" >&2 || fail "building the Minecraft stand-in image failed"
busybox=lightd-test/busybox:1
standin=lightd-test/mc-standin:1

work="$(mktemp -d /tmp/lightd-drill-XXXXXX)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
token="lightd_drill_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# The soak's clients are more than the default console.max_clients_per_container (30) allows.
config() { # DATA_DIR: a data folder with its config, on fresh ports
  local port mport
  port=$(free_port)
  mport=$(free_port)
  mkdir -p "$1"
  cat >"$1/config.json" <<JSON
{"server": {"host": "127.0.0.1", "port": $port, "mcctl_port": $mport},
 "authorization": {"enabled": true, "token": "$token"},
 "mcctl": {"image": "$standin"},
 "console": {"max_clients_per_container": $((soak_clients + 10))}}
JSON
  echo "$port $mport"
}
# jq-like reading of a drill's JSON (python3, which the kill drill needs anyway): j JSON EXPRESSION
j() {
  python3 -c 'import json,sys; v=eval(sys.argv[1], json.loads(sys.argv[2])); print(json.dumps(v) if isinstance(v, (dict, list)) else v)' "$2" "$1"
}
problems=()
check() { # JSON EXPRESSION WHAT: records a problem unless EXPRESSION is true
  [ "$(j "$1" "$2")" = True ] || problems+=("$3")
}
rows=()
row() { rows+=("$(printf '%s\t%s\t%s' "$@")"); }

# ---------------------------------------------------------------- 1. kill -9
read -r kport _ < <(config "$work/kill")
say "kill -9, $rounds rounds"
out=$(python3 "$bench/lib/killdrill.py" "$rounds" "$lightd_root/bin/lightd" "$work/kill" "$kport" "$token") \
  || fail "the kill -9 drill stopped"
row "kill -9: rounds" "$(j "$out" rounds)" "$rounds"
row "kill -9: writes answered 2xx (files, volumes, ports, tokens)" "$(j "$out" "acked['files']"), $(j "$out" "acked['volumes']"), $(j "$out" "acked['ports']"), $(j "$out" "acked['tokens']")" "-"
row "kill -9: answered writes lost or differing" "$(j "$out" lost_or_differing)" "0"
row "kill -9: torn files (files on the volume at the end, each checked)" "$(j "$out" torn) ($(j "$out" files_on_disk_last))" "0"
row "kill -9: 5xx answers while up" "$(j "$out" server_errors)" "0"
row "kill -9: restart to first ping, s (median, max)" "$(j "$out" restart_s_median), $(j "$out" restart_s_max)" "-"
check "$out" "lost_or_differing == 0 and torn == 0 and server_errors == 0 and not problems and acked['files'] > 0" \
  "kill -9: $(j "$out" problems)"

# ---------------------------------------------------------------- the daemon for the other drills
data="$work/data"
read -r port mport < <(config "$data")
base="http://127.0.0.1:$port"
mc="http://127.0.0.1:$mport"
"$lightd_root/bin/lightd" serve --data "$data" >"$work/daemon.log" 2>&1 &
daemon_pid=$!
api() { # METHOD PATH [BODY]: a Lightd call that must answer 2xx; prints the body
  python3 - "$base" "$token" "$@" <<'PY' || fail "$1 $2 did not answer 2xx"
import sys, urllib.request
base, token, method, path = sys.argv[1:5]
body = sys.argv[5].encode() if len(sys.argv) > 5 else None
r = urllib.request.Request(base + path, data=body, method=method,
                           headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
with urllib.request.urlopen(r, timeout=30) as res:
    print(res.read().decode())
PY
}
ping() { python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$base/api/v1/public/ping" 2>/dev/null; }
for _ in $(seq 1 600); do ping && break; sleep 0.2; done
ping || fail "the daemon did not answer (log: $work/daemon.log)"
mckey=$("$lightd_root/bin/lightd" mcctl key create --data "$data" 2>/dev/null)

# ---------------------------------------------------------------- 2. engine stop/start
say "engine stop/start, $cycles cycles under 3 containers and 2 mcctl servers"
out=$("$JAVA_HOME/bin/java" "$bench/lib/EngineDrill.java" "$base" "$mc" "$token" "$mckey" "$prefix" "$cycles" \
  "$busybox" "$lightd_root/bin/ensure-docker") || fail "the engine drill stopped"
row "engine stop/start: cycles" "$(j "$out" cycles)" "$cycles"
row "engine: servers back per cycle (of $(j "$out" servers))" "$(j "$out" "', '.join(map(str, back))")" "all"
row "engine: recovery, engine up to all back, s (median, max)" "$(j "$out" recovery_s_median), $(j "$out" recovery_s_max)" "-"
row "engine: leftovers per cycle (in the engine only or in the store only)" "$(j "$out" "', '.join(map(str, leftovers))")" "0"
check "$out" "not problems and len(back) == cycles and all(b == servers for b in back) and not any(leftovers)" \
  "engine: $(j "$out" problems)"

# ---------------------------------------------------------------- 3. soak
say "soak: $soak_clients console clients, $soak_rps reads/s, $soak_s s"
vol=$(j "$(api POST /volumes)" volume_id)
# ~200 numbered lines a second, paced by /proc/uptime (centiseconds, read without a fork) so that a
# slow `sleep` on a loaded machine lowers the rate only briefly
printer='read s _ </proc/uptime; s=${s%.*}${s#*.}; i=0; while :; do read n _ </proc/uptime; n=${n%.*}${n#*.}; t=$(( (n - s) * 2 )); while [ $i -lt $t ]; do echo L$i; i=$((i+1)); done; sleep 0.05; done'
python3 "$bench/lib/probe.py" install "$base" "$token" \
  "{\"internal_id\":\"$prefix-soak\",\"image\":\"$busybox\",\"volume_id\":\"$vol\",\"startup_command\":\"$printer\"}" >/dev/null \
  || fail "the soak container was not installed"
python3 "$bench/lib/probe.py" power "$base" "$token" "$prefix-soak" start running >/dev/null \
  || fail "the soak container did not start"
out=$("$JAVA_HOME/bin/java" "$bench/lib/Soak.java" "$base" "$mc" "$token" "$mckey" "$prefix-soak" "$prefix-a" \
  "$daemon_pid" "$soak_s" "$soak_every" "$soak_clients" "$soak_rps") || fail "the soak stopped"
for i in $(seq 0 $(( $(j "$out" "len(samples)") - 1 ))); do
  s=$(j "$out" "samples[$i]")
  row "soak at $(j "$s" t) s: lines received (lost), reads (errors), read p99 ms, RSS MB (threads, fds)" \
    "$(j "$s" lines) ($(j "$s" lost)), $(j "$s" reads) ($(j "$s" errors)), $(j "$s" p99_ms), $(j "$s" rss_mb) ($(j "$s" threads), $(j "$s" fds))" \
    "lost 0, errors 0; RSS, threads, fds flat"
done
row "soak: clients that received nothing" "$(j "$out" silent_clients)" "0"
check "$out" "all(s['lost'] == 0 and s['errors'] == 0 and s['lines'] > 0 for s in samples) and silent_clients == 0" \
  "soak: lines lost or errors: $(j "$out" first_errors)"

# ---------------------------------------------------------------- 4. adversarial
if [ -f "$bench/lib/Adversarial.java" ]; then
  say "adversarial: $adversarial requests"
  status=0
  out=$("$JAVA_HOME/bin/java" "$bench/lib/Adversarial.java" --lightd "$base" --mcctl "$mc" --token "$token" \
    --key "$mckey" --data "$data" --pid "$daemon_pid" --count "$adversarial") || status=$?
  if [ -n "$out" ] && j "$out" requests >/dev/null 2>&1; then
    row "adversarial: requests" "$(j "$out" requests)" "$adversarial"
    row "adversarial: 5xx answers" "$(j "$out" server_errors)" "0"
    row "adversarial: errors that are not JSON" "$(j "$out" non_json_errors)" "0"
    row "adversarial: daemon alive afterwards" "$(j "$out" "'yes' if alive else 'no'")" "yes"
    row "adversarial: RSS before, after, MB" "$(j "$out" rss_mb_before), $(j "$out" rss_mb_after)" "bounded"
    row "adversarial: files written outside the data folder" "$(j "$out" outside_writes)" "0"
    [ "$status" -eq 0 ] || problems+=("adversarial: $(j "$out" problems)")
  else
    row "adversarial" "stopped (exit $status)" "-"
    problems+=("adversarial: stopped with exit $status and no result")
  fi
else
  row "adversarial" "not available" "-"
fi
kill -0 "$daemon_pid" 2>/dev/null || problems+=("the daemon is gone (log: $work/daemon.log)")

# ---------------------------------------------------------------- the table
say "done"
echo
echo "Lightd drills${short:+ (short)}, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| drill | result | goal |"
echo "|---|---|---|"
for r in "${rows[@]}"; do
  IFS=$'\t' read -r a b c <<<"$r"
  echo "| ${a//|/\\|} | ${b//|/\\|} | ${c//|/\\|} |"
done
if [ "${#problems[@]}" -gt 0 ]; then
  echo
  printf 'problem: %s\n' "${problems[@]}"
  exit 1
fi

"""kill -9 drill for bench/drills.sh: ROUNDS times, 4 clients write files, make volumes, add ports and
mint tokens while the daemon is killed with SIGKILL at a random moment; after each restart every
write that was answered 2xx must be there (files byte for byte) and no file may be torn (every file
on the volume is one whole version the clients wrote). Prints one JSON object.
Usage: killdrill.py ROUNDS LIGHTD_CMD DATA_DIR PORT TOKEN
"""
import hashlib, json, os, random, signal, subprocess, sys, threading, time, urllib.error, urllib.parse, urllib.request

rounds, cmd, data, port, token = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
base = f"http://127.0.0.1:{port}"


def call(method, path, body=None, timeout=10):
    r = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(), method=method,
                               headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(r, timeout=timeout) as res:
        return res.status, res.read()


def start():
    t0 = time.monotonic()
    p = subprocess.Popen([cmd, "serve", "--data", data], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while time.monotonic() - t0 < 300:
        if p.poll() is not None:
            sys.exit(f"killdrill: the daemon exited with {p.returncode}")
        try:
            urllib.request.urlopen(base + "/api/v1/public/ping", timeout=2)
            return p, time.monotonic() - t0
        except OSError:
            time.sleep(0.02)
    sys.exit("killdrill: the daemon did not answer within 300 s")


def content(path):  # a file's whole content follows from its name: a torn file cannot match
    seed = hashlib.sha256(path.encode()).hexdigest()
    return seed * (1 + int(seed[:3], 16) % 200)


acked = {"files": set(), "volumes": set(), "ports": set(), "tokens": set()}
lock = threading.Lock()


def client(n, vol, stop, counter):
    i = 0
    while not stop.is_set():
        i += 1
        kind = i % 4
        try:
            if kind == 0:
                path = f"c{n}-{counter[0]}-{i}.txt"
                status, _ = call("POST", f"/volumes/{vol}/files", {"path": path, "content": content(path)})
                item = ("files", path)
            elif kind == 1:
                status, body = call("POST", "/volumes")
                item = ("volumes", json.loads(body)["volume_id"])
            elif kind == 2:
                p = 20000 + (counter[0] * 4000 + n * 1000 + i) % 40000
                status, _ = call("POST", "/network/ports", {"ip": "127.0.0.1", "port": p, "protocol": "tcp"})
                item = ("ports", p)
            else:
                status, body = call("POST", "/auth/tokens", {"ttl": "1h"})
                item = ("tokens", json.loads(body)["id"])
            if status // 100 == 2:
                with lock:
                    acked[item[0]].add(item[1])
        except urllib.error.HTTPError as e:
            if e.code >= 500 and not stop.is_set():
                with lock:
                    acked.setdefault("errors", []).append(f"{e.code} {e.read()[:200]!r}")
        except (OSError, ValueError):
            pass  # killed mid-request: not answered, nothing promised


def verify(vol):
    problems = []
    for path in sorted(acked["files"]):
        try:
            _, body = call("GET", f"/volumes/{vol}/files/content?path=" + urllib.parse.quote(path))
            if body.decode() != content(path):
                problems.append(f"file {path} differs")
        except urllib.error.HTTPError as e:
            problems.append(f"file {path}: {e.code}")
    _, body = call("GET", f"/volumes/{vol}/files?path=")
    torn = 0
    listed = json.loads(body)["files"]
    seen_on_disk.append(len(listed))
    for f in listed:
        name = f.get("name")
        _, got = call("GET", f"/volumes/{vol}/files/content?path=" + urllib.parse.quote(name))
        if got.decode() != content(name):
            torn += 1
            problems.append(f"torn file {name}")
    listed_vols = {v["volume_id"] for v in json.loads(call("GET", "/volumes")[1])["volumes"]}
    problems += [f"volume {v} lost" for v in acked["volumes"] - listed_vols]
    listed_ports = {p["port"] for p in json.loads(call("GET", "/network/ports")[1])["ports"]}
    problems += [f"port {p} lost" for p in acked["ports"] - listed_ports]
    listed_tokens = {t["id"] for t in json.loads(call("GET", "/auth/tokens")[1])["tokens"]}
    problems += [f"token {t} lost" for t in acked["tokens"] - listed_tokens]
    return problems, torn


daemon, _ = start()
vol = json.loads(call("POST", "/volumes")[1])["volume_id"]
restarts, problems, torn_total, seen_on_disk = [], [], 0, []
random.seed(13)
try:
    for r in range(rounds):
        stop = threading.Event()
        threads = [threading.Thread(target=client, args=(n, vol, stop, [r]), daemon=True) for n in range(4)]
        for t in threads:
            t.start()
        time.sleep(random.uniform(0.3, 3.0))
        daemon.send_signal(signal.SIGKILL)
        daemon.wait()
        stop.set()
        for t in threads:
            t.join()
        daemon, took = start()
        restarts.append(took)
        found, torn = verify(vol)
        problems += [f"round {r + 1}: {p}" for p in found]
        torn_total += torn
finally:
    daemon.terminate()
    daemon.wait()
restarts.sort()
print(json.dumps({"rounds": rounds, "acked": {k: len(v) for k, v in acked.items() if k != "errors"},
                  "lost_or_differing": len([p for p in problems if "torn" not in p]), "torn": torn_total, "files_on_disk_last": seen_on_disk[-1] if seen_on_disk else 0,
                  "server_errors": len(acked.get("errors", [])), "restart_s_median": round(restarts[len(restarts) // 2], 2),
                  "restart_s_max": round(restarts[-1], 2), "problems": problems[:10]}))

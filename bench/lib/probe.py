"""Measuring helpers for bench/run.sh (standard library only). Each prints one JSON object.

  start PORT IDLE_S -- CMD...   launch CMD, time until GET /api/v1/public/ping answers 200, then
                                after IDLE_S report RSS, threads, descriptors; stops CMD (SIGTERM)
  proc PID                      RSS (MB), threads, open descriptors of a running process
  power BASE TOKEN ID ACTION STATE
                                open the container's console WebSocket, POST /containers/ID/ACTION, then
                                wait for the state event of STATE (pushed, as `docker logs -f` is; polling
                                takes CPU that the engine's start needs on a small machine)
  power-poll BASE TOKEN ID ACTION STATE
                                the same, polling the detail route every 5 ms until "state" is STATE
  install BASE TOKEN BODY_JSON  POST /containers, then wait on its console for the install state "ready"
  install-poll BASE TOKEN BODY_JSON
                                the same, polling the detail every 5 ms until install_state is "ready"
  docker-start NAME LINE        `docker start NAME`, then `docker logs -f` until LINE appears
"""
import base64, json, os, socket, struct, subprocess, sys, time, urllib.parse, urllib.request


def proc(pid):
    status = open(f"/proc/{pid}/status").read().splitlines()
    field = lambda k: int(next(l for l in status if l.startswith(k)).split()[1])
    return {"rss_mb": round(field("VmRSS") / 1024, 1), "threads": field("Threads"),
            "fds": len(os.listdir(f"/proc/{pid}/fd"))}


def cpu_seconds(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def start(port, idle, cmd):
    req = b"GET /api/v1/public/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if p.poll() is not None:
                sys.exit(f"probe: {cmd[0]} exited with {p.returncode} before answering")
            if time.monotonic() - t0 > 300:  # a first start may make the start-up cache first
                sys.exit("probe: no ping answer within 300 s")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                    s.sendall(req)
                    if s.recv(64).startswith(b"HTTP/1.1 200"):
                        break
            except OSError:
                pass
            time.sleep(0.005)
        out = {"ping_s": round(time.monotonic() - t0, 3), "cpu_s_to_ping": round(cpu_seconds(p.pid), 2)}
        time.sleep(idle)
        out.update(proc(p.pid))
        return out
    finally:
        p.terminate()
        p.wait()


def call(method, url, token, body=None):
    data = body.encode() if body is not None else None
    r = urllib.request.Request(url, data=data, method=method,
                               headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(r, timeout=30) as res:
        if res.status // 100 != 2:
            sys.exit(f"probe: {method} {url} answered {res.status}")
        return json.loads(res.read() or b"{}")


def wait_field(base, token, cid, field, want, t0, timeout=120):
    while time.monotonic() - t0 < timeout:
        if call("GET", f"{base}/containers/{cid}", token).get(field) == want:
            return round(time.monotonic() - t0, 3)
        time.sleep(0.005)
    sys.exit(f"probe: {cid} {field} not {want} within {timeout} s")


def ws_open(base, token, cid):
    """A WebSocket to the container's console (stdlib only): the socket's reader after the handshake."""
    u = urllib.parse.urlparse(base)
    s = socket.create_connection((u.hostname, u.port), timeout=120)
    key = base64.b64encode(os.urandom(16)).decode()
    path = f"/ws/{urllib.parse.quote(cid)}?token={urllib.parse.quote(token)}"
    s.sendall((f"GET {path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    f = s.makefile("rb")
    status = f.readline()
    if b" 101 " not in status:
        sys.exit(f"probe: the console WebSocket of {cid} answered {status!r}")
    while f.readline() not in (b"\r\n", b""):
        pass
    return s, f


def ws_events(f):
    """The JSON events of the console, as they come (server frames are never masked)."""
    data = b""
    while True:
        head = f.read(2)
        if len(head) < 2:
            return
        op, n = head[0] & 0x0F, head[1] & 0x7F
        if n == 126:
            n = struct.unpack(">H", f.read(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", f.read(8))[0]
        payload = f.read(n)
        if op == 8:
            return
        if op in (9, 10):
            continue  # ping, pong
        data += payload
        if head[0] & 0x80:
            yield json.loads(data)
            data = b""


STATE_EVENTS = {"offline": "exit"}  # the console's name of a state (PowerState.event)


def main(a):
    if a[0] == "start":
        print(json.dumps(start(int(a[1]), float(a[2]), a[4:])))
    elif a[0] == "proc":
        print(json.dumps(proc(int(a[1]))))
    elif a[0] == "power":
        base, token, cid, action, state = a[1:6]
        want = STATE_EVENTS.get(state, state)
        t0 = time.monotonic()
        s, f = ws_open(base, token, cid)
        try:
            call("POST", f"{base}/containers/{cid}/{action}", token, "{}")
            for e in ws_events(f):
                if e.get("event") == "event" and e.get("data") == want:
                    print(json.dumps({"s": round(time.monotonic() - t0, 3)}))
                    return
            sys.exit(f"probe: the console of {cid} closed before {state}")
        finally:
            s.close()
    elif a[0] == "power-poll":
        base, token, cid, action, state = a[1:6]
        t0 = time.monotonic()
        call("POST", f"{base}/containers/{cid}/{action}", token, "{}")
        print(json.dumps({"s": wait_field(base, token, cid, "state", state, t0)}))
    elif a[0] == "install":
        base, token, body = a[1:4]
        t0 = time.monotonic()
        cid = call("POST", f"{base}/containers", token, body)["internal_id"]
        s, f = ws_open(base, token, cid)  # then the detail: an install over before the socket was open
        try:
            state = call("GET", f"{base}/containers/{cid}", token).get("install_state")
            events = (e.get("data") for e in ws_events(f) if e.get("event") == "event")
            while state not in ("ready", "failed"):
                state = next(events, "closed")
            if state != "ready":
                sys.exit(f"probe: the install of {cid} ended {state}")
            print(json.dumps({"s": round(time.monotonic() - t0, 3)}))
        finally:
            s.close()
    elif a[0] == "install-poll":
        base, token, body = a[1:4]
        t0 = time.monotonic()
        cid = call("POST", f"{base}/containers", token, body)["internal_id"]
        print(json.dumps({"s": wait_field(base, token, cid, "install_state", "ready", t0)}))
    elif a[0] == "docker-start":
        name, line = a[1:3]
        since = f"{time.time():.3f}"  # only this start's lines: the log keeps earlier runs'
        t0 = time.monotonic()
        subprocess.run(["docker", "start", name], check=True, stdout=subprocess.DEVNULL)
        logs = subprocess.Popen(["docker", "logs", "-f", "--since", since, name], stdout=subprocess.PIPE, text=True)
        for l in logs.stdout:
            if line in l:
                break
        elapsed = round(time.monotonic() - t0, 3)
        logs.kill()
        logs.wait()
        print(json.dumps({"s": elapsed}))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

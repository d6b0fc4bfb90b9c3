# Daemon unreachable, a daemon that accepts and never answers, a 500, a malformed answer:
# each ends in exit 1 within the timeout, with a message that names Docker and the socket.
source "$(dirname "$0")/lib.sh"
minimal_project
export RUN_DOCKER_TIMEOUT=1s

DOCKER_HOST=unix://$work/nothing.sock run_expect 1 plan
stderr_has "cannot reach Docker at unix://$work/nothing.sock"

# fake_daemon MODE: a Docker look-alike on a unix socket (python3), in the background.
fake_daemon() {
  python3 - "$work/fake.sock" "$1" <<'PY' &
import socket, sys, time, os
path, mode = sys.argv[1], sys.argv[2]
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen(8)
deadline = time.time() + 20
while time.time() < deadline:
    server.settimeout(deadline - time.time())
    try:
        conn, _ = server.accept()
    except socket.timeout:
        break
    request = conn.recv(65536).decode(errors="replace")
    if mode == "silent":
        time.sleep(5)
        conn.close()
        continue
    if request.startswith("GET /_ping"):
        body, status = "OK", "200 OK"
    elif mode == "error500":
        body, status = '{"message": "the daemon broke"}', "500 Internal Server Error"
    else:
        body, status = "this is not json", "200 OK"
    conn.sendall(f"HTTP/1.1 {status}\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}".encode())
    conn.close()
PY
  fake_pid=$!
  for _ in $(seq 50); do [ -S "$work/fake.sock" ] && return; sleep 0.1; done
  fail "the fake daemon did not start"
}
stop_fake() { kill "$fake_pid" 2>/dev/null || true; wait "$fake_pid" 2>/dev/null || true; rm -f "$work/fake.sock"; }

fake_daemon silent
start=$(date +%s%N)
DOCKER_HOST=unix://$work/fake.sock run_expect 1 plan
elapsed=$((($(date +%s%N) - start) / 1000000))
stderr_has "Docker at unix://$work/fake.sock did not answer GET /_ping within 1 s"
[ "$elapsed" -lt 4000 ] || fail "a silent daemon held plan for $elapsed ms"
stop_fake

fake_daemon error500
DOCKER_HOST=unix://$work/fake.sock run_expect 1 plan
stderr_has "Docker at unix://$work/fake.sock refused GET /containers/json (HTTP 500): the daemon broke"
stop_fake

fake_daemon malformed
DOCKER_HOST=unix://$work/fake.sock run_expect 1 plan
stderr_has "Docker at unix://$work/fake.sock sent malformed JSON for GET /containers/json"
stop_fake

DOCKER_HOST=ftp://example run_expect 1 plan
stderr_has "DOCKER_HOST='ftp://example' is not supported"
pass

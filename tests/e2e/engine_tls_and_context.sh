# An environment's engine over TCP with mutual TLS: a second dockerd of the test's own (own
# data root, sockets and network namespace, certificates made here by openssl) is deployed to
# through `engine: { host, tls }` and through a docker context; a wrong CA, a client
# certificate the daemon does not trust and plain HTTP to the TLS port are errors naming the
# host. The shared test daemon is only read (docker save of the test image).
source "$(dirname "$0")/lib.sh"
require_docker
command -v openssl >/dev/null || fail "openssl is missing (apt-get install openssl)"
project=$(unique_project)
node=run-tls-$$
root=$(mktemp -d /tmp/run-tls.XXXXXX)
stop_node() {
  if [ -f "$root/dockerd.pid" ]; then
    kill "$(cat "$root/dockerd.pid")" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$(cat "$root/dockerd.pid")" 2>/dev/null || break; sleep 0.1; done
  fi
  pkill -f "containerd-shim.*$root" 2>/dev/null || true
  grep -o " $root[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  ip netns delete "$node" 2>/dev/null || true
  rmdir "/sys/fs/cgroup/$node" 2>/dev/null || true
  rm -rf "$root"
}
trap 'stop_node; rm -rf "$work"' EXIT

# Certificates: a CA, the daemon's (for 127.0.0.1), this client's; and a stranger CA.
certs=$work/certs
mkdir -p "$certs"
make_ca() { openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$1" -keyout "$certs/$1-key.pem" -out "$certs/$1.pem" 2>/dev/null; }
sign() { # sign NAME CA EXTENSIONS
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$certs/$1-key.pem" -out "$certs/$1.csr" 2>/dev/null
  printf '%s\n' "$3" >"$certs/$1.ext"
  openssl x509 -req -in "$certs/$1.csr" -CA "$certs/$2.pem" -CAkey "$certs/$2-key.pem" -CAcreateserial \
    -days 1 -extfile "$certs/$1.ext" -out "$certs/$1.pem" 2>/dev/null
}
make_ca ca
make_ca stranger
sign server ca "subjectAltName=IP:127.0.0.1
extendedKeyUsage=serverAuth"
sign client ca "extendedKeyUsage=clientAuth"
sign intruder stranger "extendedKeyUsage=clientAuth"

# The node: dockerd in a network namespace of its own, listening on that namespace's loopback.
ip netns add "$node"
ip -n "$node" link set lo up
cat >"$root/daemon.json" <<JSON
{"data-root": "$root/data", "exec-root": "$root/exec", "pidfile": "$root/dockerd.pid",
 "hosts": ["unix://$root/docker.sock", "tcp://127.0.0.1:2376"],
 "tls": true, "tlsverify": true, "tlscacert": "$certs/ca.pem",
 "tlscert": "$certs/server.pem", "tlskey": "$certs/server-key.pem",
 "storage-driver": "vfs", "bridge": "none", "iptables": false, "ip-forward": false,
 "cgroup-parent": "/$node", "deprecated-key-path": "$root/key.json"}
JSON
nsenter --net="/run/netns/$node" dockerd --config-file "$root/daemon.json" >"$root/dockerd.log" 2>&1 &
for _ in $(seq 1 100); do docker -H "unix://$root/docker.sock" info >/dev/null 2>&1 && break; sleep 0.2; done
docker -H "unix://$root/docker.sock" info >/dev/null 2>&1 || { tail -20 "$root/dockerd.log" >&2; fail "the TLS node did not start"; }
docker save run-demo/busybox:latest | docker -H "unix://$root/docker.sock" load >/dev/null

in_node() { nsenter --net="/run/netns/$node" "$RUN_BIN" "$@"; }
run_in_node() { # run_in_node CODE ARGS...: run_expect inside the node's namespace
  local expected=$1 code=0
  shift
  timeout 120 nsenter --net="/run/netns/$node" "$RUN_BIN" "$@" >"$work/stdout" 2>"$work/stderr" || code=$?
  [ "$code" -eq "$expected" ] || fail "run $* exited $code, expected $expected"
}
config() { # config ENGINE: the project with prod's engine
  write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
environments:
  prod:
    engine: $1
YAML
}
tls_engine='{ host: "tcp://127.0.0.1:2376", tls: { ca: certs/ca.pem, cert: certs/client.pem, key: certs/client-key.pem } }'
config "$tls_engine"
run_in_node 0 apply --env prod --auto-approve
[ "$(docker -H "unix://$root/docker.sock" inspect -f '{{.State.Running}}' "$project-prod-web-1")" = true ] ||
  fail "the container is not running on the TLS node"
container_exists "$project-prod-web-1" && fail "the container was made on the shared daemon"
run_in_node 0 plan --env prod --detailed-exitcode
run_in_node 0 status --env prod
stdout_has "in sync"
stdout_lacks "PRIVATE KEY"

# A docker context naming the same engine, as `docker context create` stores it.
export DOCKER_CONFIG=$work/docker-config
digest=$(printf '%s' tlsbox | sha256sum | cut -c1-64)
mkdir -p "$DOCKER_CONFIG/contexts/meta/$digest" "$DOCKER_CONFIG/contexts/tls/$digest/docker"
printf '{"Name":"tlsbox","Metadata":{},"Endpoints":{"docker":{"Host":"tcp://127.0.0.1:2376","SkipTLSVerify":false}}}' \
  >"$DOCKER_CONFIG/contexts/meta/$digest/meta.json"
cp "$certs/ca.pem" "$DOCKER_CONFIG/contexts/tls/$digest/docker/ca.pem"
cp "$certs/client.pem" "$DOCKER_CONFIG/contexts/tls/$digest/docker/cert.pem"
cp "$certs/client-key.pem" "$DOCKER_CONFIG/contexts/tls/$digest/docker/key.pem"
config '{ context: tlsbox }'
run_in_node 0 plan --env prod --detailed-exitcode
config '{ context: no-such-box }'
run_in_node 1 plan --env prod
stderr_has "no docker context 'no-such-box'"

# Refusals, each naming the host.
config '{ host: "tcp://127.0.0.1:2376", tls: { ca: certs/stranger.pem, cert: certs/client.pem, key: certs/client-key.pem } }'
run_in_node 1 plan --env prod
stderr_has "cannot reach Docker at tcp://127.0.0.1:2376: the server's certificate"
stderr_has "must have signed the daemon's certificate"
config '{ host: "tcp://127.0.0.1:2376", tls: { ca: certs/ca.pem, cert: certs/intruder.pem, key: certs/intruder-key.pem } }'
run_in_node 1 plan --env prod
stderr_has "Docker at tcp://127.0.0.1:2376"
stderr_has "bad certificate"
config '{ host: "tcp://127.0.0.1:2376" }'
run_in_node 1 plan --env prod
stderr_has "Docker at tcp://127.0.0.1:2376 answered /_ping with HTTP 400"
stderr_has "a TLS port answers plain HTTP"

config "$tls_engine"
run_in_node 0 destroy --env prod --auto-approve
[ -z "$(docker -H "unix://$root/docker.sock" ps -aq)" ] || fail "destroy left containers on the TLS node"
pass

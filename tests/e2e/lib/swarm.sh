# A real three-node Docker Swarm of a test's own (../shared/notes/swarm-on-one-machine.md):
# three dockerd processes, each in its own network namespace, joined by veth pairs to a bridge
# in a fourth namespace; every address exists only inside those namespaces. Node 1 is the
# manager, nodes 2 and 3 workers labelled `zone=a` and `zone=b`. Each node's API is a unix
# socket under the harness's folder, which the host reaches (sockets ignore network
# namespaces). The shared test daemon is only read (docker save of the test image).
#
#   source "$(dirname "$0")/lib/swarm.sh"
#   swarm_start            # sets swarm_root, swarm_manager (unix://...), swarm_node N
#   swarm_tls=1 swarm_start  # node 1 also serves mutual TLS on tcp://10.231.0.1:2376, reached
#                            # from inside the nodes' namespaces (swarm_in_node N CMD...);
#                            # certificates in $swarm_root/certs (ca, client, stranger CA)
#   docker -H "$swarm_manager" node ls
#   (teardown runs at exit, whatever happened; call swarm_stop to do it earlier)

swarm_id=rs$$
swarm_root=$(mktemp -d /tmp/run-swarm.XXXXXX)
swarm_manager=unix://$swarm_root/node1/docker.sock
swarm_created_netns_mount=0

swarm_node() { echo "unix://$swarm_root/node$1/docker.sock"; }
swarm_docker() { # swarm_docker N ARGS...: the docker CLI against node N
  local node=$1
  shift
  docker -H "$(swarm_node "$node")" "$@"
}

swarm_in_node() { # swarm_in_node N COMMAND...: COMMAND inside node N's network namespace
  local node=$1
  shift
  nsenter --net="/run/netns/$swarm_id-$node" "$@"
}

swarm_make_certs() {
  local certs=$swarm_root/certs
  mkdir -p "$certs"
  make_ca() { openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$1" -keyout "$certs/$1-key.pem" -out "$certs/$1.pem" 2>/dev/null; }
  sign() { # sign NAME EXTENSIONS
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$certs/$1-key.pem" -out "$certs/$1.csr" 2>/dev/null
    printf '%s\n' "$2" >"$certs/$1.ext"
    openssl x509 -req -in "$certs/$1.csr" -CA "$certs/ca.pem" -CAkey "$certs/ca-key.pem" -CAcreateserial \
      -days 1 -extfile "$certs/$1.ext" -out "$certs/$1.pem" 2>/dev/null
  }
  make_ca ca
  make_ca stranger
  sign server "subjectAltName=IP:10.231.0.1
extendedKeyUsage=serverAuth"
  sign client "extendedKeyUsage=clientAuth"
}

swarm_start() {
  command -v nsenter >/dev/null || fail "nsenter is missing (util-linux)"
  [ "${swarm_tls:-0}" = 1 ] && swarm_make_certs
  [ -d /run/netns ] || swarm_created_netns_mount=1
  trap 'swarm_stop; rm -rf "$work"' EXIT
  ip netns add "$swarm_id-hub"
  ip -n "$swarm_id-hub" link add br0 type bridge
  ip -n "$swarm_id-hub" link set br0 up
  ip -n "$swarm_id-hub" link set lo up
  local n
  for n in 1 2 3; do
    ip netns add "$swarm_id-$n"
    ip link add "$swarm_id-v$n" netns "$swarm_id-$n" type veth peer name "h$n" netns "$swarm_id-hub"
    ip -n "$swarm_id-hub" link set "h$n" master br0 up
    ip -n "$swarm_id-$n" link set "$swarm_id-v$n" name eth0
    ip -n "$swarm_id-$n" addr add "10.231.0.$n/24" dev eth0
    ip -n "$swarm_id-$n" link set eth0 up
    ip -n "$swarm_id-$n" link set lo up
    swarm_start_daemon "$n"
  done
  for n in 1 2 3; do swarm_wait_daemon "$n"; done
  swarm_docker 1 swarm init --advertise-addr 10.231.0.1 >/dev/null
  local token
  token=$(swarm_docker 1 swarm join-token -q worker)
  for n in 2 3; do swarm_docker "$n" swarm join --token "$token" 10.231.0.1:2377 >/dev/null; done
  swarm_docker 1 node update --label-add zone=a "node2-$swarm_id" >/dev/null
  swarm_docker 1 node update --label-add zone=b "node3-$swarm_id" >/dev/null
  # The same image ids on every node: no registry to pull from.
  docker save run-demo/busybox:latest >"$swarm_root/busybox.tar"
  for n in 1 2 3; do swarm_docker "$n" load -i "$swarm_root/busybox.tar" >/dev/null; done
}

swarm_start_daemon() {
  local n=$1 dir=$swarm_root/node$1 hosts tls=""
  mkdir -p "$dir"
  hosts="\"unix://$dir/docker.sock\""
  if [ "${swarm_tls:-0}" = 1 ] && [ "$n" = 1 ]; then
    hosts="$hosts, \"tcp://10.231.0.1:2376\""
    tls="\"tls\": true, \"tlsverify\": true, \"tlscacert\": \"$swarm_root/certs/ca.pem\",
 \"tlscert\": \"$swarm_root/certs/server.pem\", \"tlskey\": \"$swarm_root/certs/server-key.pem\","
  fi
  cat >"$dir/daemon.json" <<JSON
{"data-root": "$dir/data", "exec-root": "$dir/exec", "pidfile": "$dir/dockerd.pid",
 "hosts": [$hosts], $tls "storage-driver": "vfs",
 "bip": "172.30.$n.1/24", "default-address-pools": [{"base": "10.240.0.0/16", "size": 24}],
 "dns": ["10.231.0.254"], "cgroup-parent": "/$swarm_id-$n",
 "deprecated-key-path": "$dir/key.json"}
JSON
  DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 nsenter --net="/run/netns/$swarm_id-$n" unshare --uts -- \
    sh -c "hostname node$n-$swarm_id; exec dockerd --config-file '$dir/daemon.json'" \
    >"$dir/dockerd.log" 2>&1 &
}

swarm_wait_daemon() {
  local n=$1 _
  for _ in $(seq 1 150); do swarm_docker "$n" info >/dev/null 2>&1 && return 0; sleep 0.2; done
  tail -20 "$swarm_root/node$n/dockerd.log" >&2
  fail "swarm node $n did not start"
}

swarm_stop() {
  [ -d "$swarm_root" ] || return 0
  local n pid
  for n in 3 2 1; do timeout 20 swarm_docker "$n" swarm leave --force >/dev/null 2>&1 || true; done
  for n in 1 2 3; do
    pid=$(cat "$swarm_root/node$n/dockerd.pid" 2>/dev/null) || continue
    kill "$pid" 2>/dev/null || true
  done
  for n in 1 2 3; do
    pid=$(cat "$swarm_root/node$n/dockerd.pid" 2>/dev/null) || continue
    for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  pkill -9 -f "containerd-shim.*$swarm_root" 2>/dev/null || true
  pkill -9 -f "containerd.*$swarm_root" 2>/dev/null || true
  grep -o " $swarm_root[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  for n in 1 2 3; do
    ip netns delete "$swarm_id-$n" 2>/dev/null || true
    find "/sys/fs/cgroup/$swarm_id-$n" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  ip netns delete "$swarm_id-hub" 2>/dev/null || true
  if [ "$swarm_created_netns_mount" = 1 ] && ! ls /run/netns/* >/dev/null 2>&1; then
    umount /run/netns 2>/dev/null || true
  fi
  rm -rf "$swarm_root"
}

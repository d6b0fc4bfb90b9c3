# A dockerd of a test's own, which the test may stop and start again (never the shared one): its
# own data root, exec root, socket and pidfile under one folder, in a network namespace of its
# own so that its bridges never meet the host's. Uses the vfs storage driver.
#
#   source "$RUN_SOURCE_DIR/tests/e2e/lib/own_daemon.sh"
#   own_daemon_start        # sets own_daemon (unix://...); loads run-demo/busybox:latest into it
#   own_daemon_stop         # SIGTERM, waits until it has exited
#   own_daemon_start        # again, on the same data root
#   (teardown runs at exit, whatever happened)

own_daemon_id=rd$$
own_daemon_root=$(mktemp -d /tmp/run-own-daemon.XXXXXX)
own_daemon=unix://$own_daemon_root/docker.sock
own_daemon_created_netns_mount=0
own_daemon_loaded=0

own_docker() { docker -H "$own_daemon" "$@"; }

own_daemon_start() {
  if [ ! -e "/run/netns/$own_daemon_id" ]; then
    [ -d /run/netns ] || own_daemon_created_netns_mount=1
    trap 'own_daemon_teardown; rm -rf "$work"' EXIT
    ip netns add "$own_daemon_id"
    ip -n "$own_daemon_id" link set lo up
  fi
  cat >"$own_daemon_root/daemon.json" <<JSON
{"data-root": "$own_daemon_root/data", "exec-root": "$own_daemon_root/exec",
 "pidfile": "$own_daemon_root/dockerd.pid", "hosts": ["$own_daemon"], "storage-driver": "vfs",
 "bip": "172.31.7.1/24", "default-address-pools": [{"base": "10.241.0.0/16", "size": 24}],
 "cgroup-parent": "/$own_daemon_id", "deprecated-key-path": "$own_daemon_root/key.json"}
JSON
  nsenter --net="/run/netns/$own_daemon_id" dockerd --config-file "$own_daemon_root/daemon.json" \
    >>"$own_daemon_root/dockerd.log" 2>&1 &
  local _
  for _ in $(seq 1 150); do
    own_docker info >/dev/null 2>&1 && break
    sleep 0.2
  done
  own_docker info >/dev/null 2>&1 || { tail -20 "$own_daemon_root/dockerd.log" >&2; fail "the test's own dockerd did not start"; }
  if [ "$own_daemon_loaded" = 0 ]; then
    docker save run-demo/busybox:latest | own_docker load >/dev/null
    own_daemon_loaded=1
  fi
}

own_daemon_pid() { cat "$own_daemon_root/dockerd.pid" 2>/dev/null; }

own_daemon_stop() {
  local pid _
  pid=$(own_daemon_pid) || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

own_daemon_teardown() {
  [ -d "$own_daemon_root" ] || return 0
  own_docker ps -aq 2>/dev/null | xargs -r timeout 60 docker -H "$own_daemon" rm -f >/dev/null 2>&1 || true
  own_daemon_stop
  pkill -9 -f "containerd-shim.*$own_daemon_root" 2>/dev/null || true
  pkill -9 -f "containerd.*$own_daemon_root" 2>/dev/null || true
  grep -o " $own_daemon_root[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  ip netns delete "$own_daemon_id" 2>/dev/null || true
  find "/sys/fs/cgroup/$own_daemon_id" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  if [ "$own_daemon_created_netns_mount" = 1 ] && ! ls /run/netns/* >/dev/null 2>&1; then
    umount /run/netns 2>/dev/null || true
  fi
  rm -rf "$own_daemon_root"
}

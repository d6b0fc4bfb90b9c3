# DOCKER_HOST=ssh://root@127.0.0.1:PORT reaches Docker through ssh, as the docker CLI does: an
# sshd of the test's own on a loopback port (a host key and a client key made here), whose
# `docker system dial-stdio` reaches the shared local daemon. apply, status, plan and destroy
# work through it; a key the server does not know is exit 1 with ssh's "Permission denied" and
# the host; exec's taken-over stream works too; afterwards no ssh process of the test remains,
# and sshd is stopped.
source "$(dirname "$0")/lib.sh"
for tool in /usr/sbin/sshd /usr/bin/ssh /usr/bin/ssh-keygen; do
  [ -x "$tool" ] || { echo "skip: $tool is missing (scripts/setup.sh --for-tests installs openssh-server and openssh-client)"; exit 77; }
done
docker_project
sshd_pid=
# Lets the sessions of clients that have gone end first (up to 5 s): sshd's SIGTERM stops only
# the listener, and a session ending after it would be left to init.
stop_sshd() {
  [ -z "$sshd_pid" ] && return 0
  for _ in $(seq 50); do
    pgrep -P "$sshd_pid" >/dev/null || break
    sleep 0.1
  done
  kill "$sshd_pid" 2>/dev/null || true
  wait "$sshd_pid" 2>/dev/null || true
}
# unset: a failing run_expect exits inside "DOCKER_HOST=... run_expect", where it is still set
trap 'unset DOCKER_HOST; stop_sshd; cleanup_project "$project"; rm -rf "$work"' EXIT

keys=$work/ssh
mkdir -p "$keys" "$work/bin" /run/sshd
chmod 700 "$keys"
ssh-keygen -q -t ed25519 -N '' -f "$keys/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$keys/client_key"
ssh-keygen -q -t ed25519 -N '' -f "$keys/wrong_key"
cp "$keys/client_key.pub" "$keys/authorized_keys"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

write "$keys/sshd_config" <<CONFIG
HostKey $keys/host_key
AuthorizedKeysFile $keys/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
PrintMotd no
PidFile $keys/sshd.pid
CONFIG
/usr/sbin/sshd -D -e -f "$keys/sshd_config" -p "$port" -o ListenAddress=127.0.0.1 2>"$work/sshd.log" &
sshd_pid=$!
sshd_listens() { python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$port" 2>/dev/null; }
wait_until 10 sshd_listens

# ssh reads ~/.ssh/config from the passwd entry's home, not $HOME: a wrapper first in PATH gives
# it the test's config (the key to use, a known_hosts of its own, no prompts), and counts runs.
client_config() {
  cat <<CONFIG
Host *
  IdentityFile $keys/$1
  IdentitiesOnly yes
  UserKnownHostsFile $keys/known_hosts
  StrictHostKeyChecking accept-new
  BatchMode yes
  LogLevel ERROR
CONFIG
}
client_config client_key >"$keys/config"
client_config wrong_key >"$keys/wrong_config"
write "$work/bin/ssh" <<WRAPPER
#!/bin/sh
echo "\$*" >>"$keys/runs"
exec /usr/bin/ssh -F "\${TEST_SSH_CONFIG:-$keys/config}" "\$@"
WRAPPER
chmod 755 "$work/bin/ssh"
export PATH="$work/bin:$PATH"
url="ssh://root@127.0.0.1:$port"

write run-config.yaml <<YAML
version: "2"
project: $project
default_environment: dev
services:
  web:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
environments:
  dev: {}
YAML

# over_ssh CODE ARGS...: run_expect with DOCKER_HOST on the ssh URL (the docker CLI of the
# cleanup keeps the local socket); then no ssh of the test may remain.
over_ssh() {
  : >"$keys/runs"
  DOCKER_HOST=$url run_expect "$@"
  ! pgrep -f -- "-F $keys/" >/dev/null || fail "an ssh process remains after run ${*:2}: $(pgrep -af -- "-F $keys/")"
}
ssh_runs() { wc -l <"$keys/runs"; }

over_ssh 0 apply --auto-approve
[ "$(docker inspect -f '{{.State.Running}}' "$project-dev-web-1")" = true ] || fail "apply over ssh did not start web"
grep -qF -- "-o ConnectTimeout=20 -T -l root -p $port -- 127.0.0.1 docker system dial-stdio" "$keys/runs" || fail "ssh ran with other arguments: $(cat "$keys/runs")"

over_ssh 0 status
stdout_has "web"

over_ssh 0 -v plan --detailed-exitcode
stdout_has "No changes."
# The requests share one ssh process: observe's parallel steps wait briefly for it rather than
# start their own (one process, unless the machine is so loaded that a request takes longer
# than that wait: so the check is only that there are fewer processes than requests).
requests=$(grep -c "debug: docker: .* -> " "$work/stderr")
[ "$(ssh_runs)" -ge 1 ] && [ "$(ssh_runs)" -lt "$requests" ] || fail "a no-op plan ran ssh $(ssh_runs) times for $requests requests"
echo "a no-op plan: $requests requests over $(ssh_runs) ssh processes"

# exec takes a connection over (a process of its own): its output and exit code come through.
over_ssh 3 exec web -- sh -c 'echo out-over-ssh; exit 3'
stdout_has "out-over-ssh"

TEST_SSH_CONFIG=$keys/wrong_config over_ssh 1 plan
stderr_has "cannot reach Docker at $url"
stderr_has "Permission denied"
stderr_has "root@127.0.0.1"
[ "$(grep -c "cannot reach Docker" "$work/stderr")" -eq 1 ] || fail "the error was printed more than once"

over_ssh 0 destroy --auto-approve
[ "$(docker ps -aq --filter "label=run.project=$project" | wc -l)" -eq 0 ] || fail "destroy over ssh left containers"

wait_until 5 sh -c "! pgrep -P $sshd_pid >/dev/null"  # every session has ended
stop_sshd
! kill -0 "$sshd_pid" 2>/dev/null || fail "sshd is still running"
sshd_pid=
pass

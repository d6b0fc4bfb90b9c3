# run exec -i/-t: in a tmux pane of 100x30, `-it -- sh` is a shell on a TTY of the pane's size
# that evaluates what is typed, follows a resize of the pane, takes Ctrl-C itself (run goes on),
# exits with the shell's code, and leaves the pane's terminal settings as they were (also when
# run is stopped with SIGTERM: exit 130). Piped stdin
# reaches the command with -i (and its end ends it); -t without a terminal exits 1 saying so.
source "$(dirname "$0")/lib.sh"
docker_project
command -v tmux >/dev/null || { echo "skip: no tmux"; exit 77; }
tmux_socket="run-e2e-exec-$$"  # a tmux server of its own, started with this script's environment
trap 'tmux -L "$tmux_socket" kill-server 2>/dev/null || true; cleanup_project "$project"; rm -rf "$work"' EXIT
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
environments:
  dev: {}
YAML
run_expect_within 60 0 apply --auto-approve

# -i with a pipe: the bytes reach cat, whose stdin ends with the pipe's.
code=0
echo hi | timeout 60 "$RUN_BIN" exec web -i -- cat >"$work/stdout" 2>"$work/stderr" || code=$?
[ "$code" -eq 0 ] || fail "piped run exec -i -- cat exited $code"
[ "$(cat "$work/stdout")" = "hi" ] || fail "piped stdin did not come back from cat"

# -i without a TTY keeps stdout and stderr apart, and the command's exit code.
code=0
echo 'echo out; echo err >&2; exit 5' | timeout 60 "$RUN_BIN" exec web -i -- sh \
  >"$work/stdout" 2>"$work/stderr" || code=$?
[ "$code" -eq 5 ] || fail "run exec -i -- sh exited $code, expected 5"
[ "$(cat "$work/stdout")" = "out" ] || fail "stdout is not just 'out'"
stderr_has "err"

# -t needs a terminal on stdin.
code=0
timeout 60 "$RUN_BIN" exec web -t -- true </dev/null >"$work/stdout" 2>"$work/stderr" || code=$?
[ "$code" -eq 1 ] || fail "run exec -t with stdin from /dev/null exited $code, expected 1"
stderr_has "the input device is not a TTY"
stderr_has "-i"

# -it in tmux. The pane records the terminal's settings before and after, and run's exit code.
cat >"$work/pane.sh" <<SH
stty -g >"$work/stty.before"
"$RUN_BIN" exec web -it -- sh
echo \$? >"$work/code.tmp"
stty -g >"$work/stty.after"
mv "$work/code.tmp" "$work/code"
sleep 600
SH
tmux() { command tmux -L "$tmux_socket" -f /dev/null "$@"; }
tmux new-session -d -s exec -x 100 -y 30 -c "$work" "bash $work/pane.sh"
# pane_has TEXT: whether the pane shows TEXT (kept in $work/stdout, which fail shows).
pane_has() { tmux capture-pane -p -t exec >"$work/stdout"; grep -qF -- "$1" "$work/stdout"; }
type_line() { tmux send-keys -t exec -l -- "$1"; tmux send-keys -t exec Enter; }

wait_until 30 pane_has "/ #"
type_line 'echo hi-$((6*7))'
wait_until 10 pane_has "hi-42"

type_line 'echo "size-$(stty size | tr " " x)"'
wait_until 10 pane_has "size-30x100"

tmux resize-window -t exec -x 120 -y 40
sleep 0.5  # SIGWINCH reaches run, run resizes the exec's TTY
type_line 'echo "size-$(stty size | tr " " x)"'
wait_until 10 pane_has "size-40x120"

# Ctrl-C is a byte for the container's shell: it ends the sleep there (the shell answers long
# before 30 s), not run.
type_line 'sleep 30'
sleep 1
tmux send-keys -t exec C-c
type_line 'echo still-$((40+2))'
wait_until 10 pane_has "still-42"
[ ! -f "$work/code" ] || fail "Ctrl-C ended run exec -it"

type_line 'exit 3'
wait_until 20 test -f "$work/code"
[ "$(cat "$work/code")" = "3" ] || fail "run exec -it exited $(cat "$work/code"), expected 3"
cmp -s "$work/stty.before" "$work/stty.after" ||
  fail "the terminal's settings were not restored: $(cat "$work/stty.before") became $(cat "$work/stty.after")"

# SIGTERM while the shell runs: run exits 130 and the terminal is restored all the same.
cat >"$work/pane2.sh" <<SH
stty -g >"$work/stty2.before"
bash -c 'echo \$\$ >"$work/run.pid"; exec "$RUN_BIN" exec web -it -- sh'
echo \$? >"$work/code2.tmp"
stty -g >"$work/stty2.after"
mv "$work/code2.tmp" "$work/code2"
sleep 600
SH
tmux new-window -t exec -n term -c "$work" "bash $work/pane2.sh"
pane2_has() { tmux capture-pane -p -t exec:term >"$work/stdout"; grep -qF -- "$1" "$work/stdout"; }
wait_until 30 pane2_has "/ #"
kill -TERM "$(cat "$work/run.pid")"
wait_until 20 test -f "$work/code2"
[ "$(cat "$work/code2")" = "130" ] || fail "run exec -it stopped by SIGTERM exited $(cat "$work/code2")"
cmp -s "$work/stty2.before" "$work/stty2.after" || fail "SIGTERM left the terminal's settings changed"
pass

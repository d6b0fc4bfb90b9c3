# A protected environment asks for its name on a terminal: a wrong answer cancels (exit 1,
# nothing made), Ctrl-C at the question cancels (exit 130), the name applies. Without a
# terminal it refuses. util-linux `script` gives run a terminal and types standard input into it.
source "$(dirname "$0")/lib.sh"
require_docker
command -v script >/dev/null || fail "util-linux script is missing (apt-get install bsdutils)"
project=$(unique_project)
trap 'cleanup_project "$project"; docker rm -f run-lock-$project-dev >/dev/null 2>&1; rm -rf "$work"' EXIT
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
environments:
  dev: { protected: true }
YAML
owned() { docker ps -aq --filter "label=run.project=$project" | wc -l; }

# on_terminal CODE ANSWER ARGS...: runs run ARGS on a terminal, answers ANSWER to its question;
# the terminal's output (stdout and stderr together) is in $work/stdout.
on_terminal() {
  local expected=$1 answer=$2 code=0
  shift 2
  printf '%s\n' "$answer" | timeout 60 script -qec "$(printf '%q ' "$RUN_BIN" "$@")" /dev/null >"$work/stdout" 2>&1 || code=$?
  : >"$work/stderr"
  [ "$code" -eq "$expected" ] || fail "run $* answered '$answer' exited $code, expected $expected"
}

on_terminal 1 wrong apply --progress plain
stdout_has "dev is protected. Type its name to apply:"
stdout_has "apply cancelled: nothing was changed."
[ "$(owned)" -eq 0 ] || fail "a cancelled apply made containers"
[ "$(docker network ls -q --filter "label=run.project=$project" | wc -l)" -eq 0 ] || fail "a cancelled apply made a network"
lock_held "$project" && fail "a cancelled apply left its lock"

# 'yes' is not the environment's name.
on_terminal 1 yes apply --progress plain
stdout_has "apply cancelled"
[ "$(owned)" -eq 0 ] || fail "'yes' applied a protected environment"

# Ctrl-C at the question cancels at once (exit 130) and releases the lock: it does not wait
# for Enter, and no second Ctrl-C is needed (that one would exit without unwinding).
code=0
(sleep 2; printf '\003'; sleep 5) | timeout 60 script -qec "$(printf '%q ' "$RUN_BIN" apply --progress plain)" /dev/null >"$work/stdout" 2>&1 || code=$?
[ "$code" -eq 130 ] || fail "Ctrl-C at the question exited $code, expected 130"
stdout_has "apply cancelled: nothing was changed."
[ "$(owned)" -eq 0 ] || fail "Ctrl-C at the question made containers"
lock_held "$project" && fail "Ctrl-C at the question left the lock"

# Without a terminal nothing asks, so nothing is applied.
run_expect 1 apply </dev/null
stderr_has "there is no terminal to ask on"
[ "$(owned)" -eq 0 ] || fail "an apply without a terminal made containers"

on_terminal 0 dev apply --progress plain
stdout_has "Apply complete: 2 actions"
[ "$(docker inspect -f '{{.State.Running}}' "$project-dev-web-1")" = true ] || fail "web is not running"

# destroy asks the same way.
on_terminal 1 wrong destroy --progress plain
stdout_has "dev is protected. Type its name to destroy:"
[ "$(owned)" -eq 1 ] || fail "a cancelled destroy removed containers"

run_expect 0 plan --detailed-exitcode
lock_held "$project" && fail "a lock remains"
pass

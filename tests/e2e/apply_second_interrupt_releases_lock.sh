# A second SIGINT aborts at once (exit 130) while an action is still running, and even then
# the environment's lock is released: nobody has to force-unlock after an impatient Ctrl-C.
source "$(dirname "$0")/lib.sh"
require_docker
project=$(unique_project)
trap 'kill -9 ${destroy:-} 2>/dev/null || true; cleanup_project "$project"; docker rm -f run-lock-$project-dev >/dev/null 2>&1; rm -rf "$work"' EXIT
# A container that ignores SIGTERM: removing it lasts its whole 30 s grace period.
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  stubborn:
    image: run-demo/busybox:latest
    command: ["sh", "-c", "trap '' TERM; while true; do sleep 1; done"]
    stop_grace_period: 30s
environments:
  dev: {}
YAML
run_expect_within 60 0 apply --auto-approve

set -m
"$RUN_BIN" destroy --auto-approve --progress plain >"$work/stdout" 2>"$work/stderr" &
destroy=$!
set +m
removing() { grep -qF "remove container $project-dev-stubborn-1" "$work/stderr"; }
wait_until 20 removing
kill -INT "$destroy"
sleep 1
exited "$destroy" && fail "the first SIGINT did not let the running removal finish"
kill -INT "$destroy"
wait_until 5 exited "$destroy"
code=0
wait "$destroy" || code=$?
[ "$code" -eq 130 ] || fail "the aborted destroy exited $code, expected 130"
stderr_has "aborted: the environment may be half-changed"
lock_held "$project" && fail "the aborted destroy left its lock behind"

# The environment is usable at once: the next destroy finishes the job.
run_expect_within 60 0 destroy --auto-approve
[ -z "$(docker ps -aq --filter "label=run.project=$project")" ] || fail "containers remain"
run_expect 0 destroy --dry-run
stdout_has "No changes."
lock_held "$project" && fail "a lock remains"
pass

# run task: lists the tasks; runs one on the environment's network with its args appended,
# streams its output with secrets redacted from the record, exits with its exit code, removes
# its container and records a task record; a timeout exits 1 and removes the container; bad
# input (an unknown task, a misspelt when:) exits 1 and changes nothing.
source "$(dirname "$0")/lib.sh"
docker_project
trap 'cleanup_project "$project"; rm -rf "$work"' EXIT
git -C "$work" init -q
mkdir -p "$work/.run/secrets"
echo "TOKEN=s3cr3t-value" >"$work/.run/secrets/dev.env"
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
tasks:
  hello:
    service: web
    command: ["sh", "-c", "echo token \$\$TOKEN; nslookup web >/dev/null 2>&1 && echo reached web; echo args \"\$\$@\"; exit 3", "hello"]
    env: { TOKEN: "\${secret:TOKEN}" }
  slow:
    image: run-demo/busybox:latest
    command: ["sleep", "60"]
    timeout: 2s
environments:
  dev: {}
YAML
run_expect_within 60 0 apply --auto-approve

run_expect 0 task
stdout_has "hello"
stdout_has "slow"

run_expect 3 task hello -- one two
stdout_has "token (sensitive)"
stdout_lacks "s3cr3t-value"
stdout_has "reached web"
stdout_has "args one two"
container_exists "$project-dev-task-hello" && fail "the task's container was left behind"

run_expect 0 history
stdout_has "task"
stdout_has "hello exited 3"
run_expect 0 show
stdout_has "args one two"
stdout_lacks "s3cr3t-value"

start=$(date +%s)
run_expect 1 task slow
[ $(($(date +%s) - start)) -lt 20 ] || fail "the timeout did not stop the task"
stderr_has "slow"
container_exists "$project-dev-task-slow" && fail "a timed-out task's container was left behind"

# Ctrl-C stops the task (exit 130) and removes its container; a second one aborts at once and
# says what it may leave, not what an apply would.
"$RUN_BIN" task slow >"$work/stdout" 2>"$work/stderr" &
pid=$!
for _ in $(seq 1 100); do container_exists "$project-dev-task-slow" && break; sleep 0.1; done
kill -INT "$pid"
sleep 0.3 # two signals sent at once would be one: a pending signal is not counted twice
kill -INT "$pid" 2>/dev/null || true
code=0
wait "$pid" || code=$?
[ "$code" -eq 130 ] || fail "the twice interrupted task exited $code, expected 130"
stderr_has "aborted: the task's container may still be there"
stderr_lacks "half-changed"

run_expect 1 task helo
stderr_has "hello"

sed -i 's/    timeout: 2s/    timeout: 2s\n    when: pre-deplyo/' "$work/run-config.yaml"
run_expect 1 task slow
stderr_has "run-config.yaml:"
pass

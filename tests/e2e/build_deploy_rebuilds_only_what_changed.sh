# Services built from source: apply builds and deploys them; a changed file rebuilds and
# replaces only its own service; a no-op plans and builds nothing; a file .dockerignore leaves
# out changes nothing; `run build` says what is up to date.
source "$(dirname "$0")/lib.sh"
docker_project
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  app:
    build: { context: app, args: { GREETING: hello } }
    init: true
    command: ["sh", "-c", "cat /greeting; exec sleep 100000"]
  worker:
    build: { context: ./worker }
    init: true
    command: ["sh", "-c", "exec sleep 100000"]
environments:
  dev: {}
YAML
printf 'FROM run-demo/busybox\nARG GREETING\nRUN echo "$GREETING" > /greeting\nCOPY server.sh /server.sh\n' | write app/Dockerfile
echo 'echo v1' | write app/server.sh
echo 'notes.md' | write app/.dockerignore
echo 'not sent' | write app/notes.md
printf 'FROM run-demo/busybox\nCOPY work.sh /work.sh\n' | write worker/Dockerfile
echo 'echo working' | write worker/work.sh
id_of() { docker inspect -f '{{.Id}}' "$project-dev-$1-1"; }
image_of() { docker inspect -f '{{.Config.Image}}' "$project-dev-$1-1"; }
images() { docker images -q --filter "label=run.project=$project" | sort -u | wc -l; }

run_expect 2 plan --detailed-exitcode
stdout_has "build image $project/app:"
stdout_has "build image $project/worker:"
stdout_has "(image missing)"
[ "$(images)" -eq 0 ] || fail "plan built something"

run_expect 0 apply --auto-approve --progress plain
stderr_has "app: step 3/"
stdout_has "Apply complete: 5 actions"  # 2 builds, the network, 2 containers
[ "$(docker logs "$project-dev-app-1" 2>&1)" = hello ] || fail "app does not run what was built"
app=$(id_of app) worker=$(id_of worker) app_image=$(image_of app)
[ "$(images)" -eq 2 ] || fail "expected 2 built images, found $(images)"

# Nothing changed: no build, no action.
run_expect 0 apply --auto-approve --progress plain
stdout_has "No changes."
stderr_lacks "step 1/"
run_expect 0 build
stdout_has "up to date: $app_image"

# A file .dockerignore leaves out is not part of the build.
echo 'edited' >app/notes.md
run_expect 0 plan --detailed-exitcode

# One file of app changes: only app is rebuilt and replaced.
echo 'echo v2' >app/server.sh
run_expect 2 plan --detailed-exitcode
stdout_has "context changed (server.sh)"
stdout_has "replace container $project-dev-app-1  (image rebuilt)"
stdout_lacks "worker"
run_expect 0 apply --auto-approve --progress plain
stdout_has "Apply complete: 2 actions"
[ "$(id_of worker)" = "$worker" ] || fail "worker was recreated"
[ "$(id_of app)" != "$app" ] || fail "app kept its old container"
[ "$(image_of app)" != "$app_image" ] || fail "app runs the old image"
docker run --rm "$(image_of app)" cat /server.sh | grep -q v2 || fail "the new image lacks the change"

# A build arg changes: the cause names it.
sed -i 's/GREETING: hello/GREETING: bonjour/' run-config.yaml
run_expect 2 plan --detailed-exitcode
stdout_has "build arg GREETING: hello -> bonjour"
run_expect 0 plan -o json
[ "$(json_field "$work/stdout" 'd["summary"]["build"]')" = 1 ] || fail "plan JSON counts no build"
pass

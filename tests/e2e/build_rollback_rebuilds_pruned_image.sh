# Rollback to a record whose built image was removed from the daemon rebuilds it from that
# record's source commit, read from git without a checkout (the working tree holds other
# files by then), and the rebuilt image has the recorded tag.
source "$(dirname "$0")/lib.sh"
docker_project
git init -q
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  app:
    build: { context: app }
    init: true
    command: ["sh", "-c", "cat /version; exec sleep 100000"]
environments:
  dev: {}
YAML
printf 'FROM run-demo/busybox\nCOPY version /version\n' | write app/Dockerfile
echo v1 | write app/version
git add -A && git_as_tester commit -qm v1
run_expect 0 apply --auto-approve --progress plain
v1_image=$(docker inspect -f '{{.Config.Image}}' "$project-dev-app-1")

echo v2 >app/version
git_as_tester commit -qam v2
run_expect 0 apply --auto-approve --progress plain
[ "$(docker logs "$project-dev-app-1" 2>&1)" = v2 ] || fail "v2 is not deployed"
docker rmi -f "$v1_image" >/dev/null
echo v3-uncommitted >app/version  # the working tree is not what the rollback builds from

run_expect 0 rollback --auto-approve --progress plain
stdout_has "build image $v1_image"
stdout_has "context changed (version)"  # against what runs now: v2
[ "$(docker inspect -f '{{.Config.Image}}' "$project-dev-app-1")" = "$v1_image" ] ||
  fail "the rollback does not run $v1_image"
[ "$(docker logs "$project-dev-app-1" 2>&1)" = v1 ] || fail "the rebuilt image is not v1"
run_expect 0 status
stdout_has "(built from $(git rev-parse --short=12 HEAD~1))"
pass

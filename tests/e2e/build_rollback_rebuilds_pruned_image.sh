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

# A record made from a commit that is gone (a deleted branch, garbage-collected) cannot be
# rebuilt: the error names the commit, and nothing is deployed.
git checkout -q -- app/version
git checkout -qb experiment
echo v4 >app/version
git_as_tester commit -qam v4
run_expect 0 apply --auto-approve --progress plain
gone=$(git rev-parse HEAD)
v4_image=$(docker inspect -f '{{.Config.Image}}' "$project-dev-app-1")
git checkout -q -
git branch -qD experiment
run_expect 0 apply --auto-approve --progress plain
git reflog expire --expire=now --all && git gc -q --prune=now
docker rmi -f "$v4_image" >/dev/null
running=$(docker inspect -f '{{.Id}}' "$project-dev-app-1")
run_expect 1 rollback --auto-approve --progress plain
stdout_has "revision '$gone' does not exist in this repository"
stdout_has "a build failed: nothing deployed"
[ "$(docker inspect -f '{{.Id}}' "$project-dev-app-1")" = "$running" ] || fail "app changed"
pass

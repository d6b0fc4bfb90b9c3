# The loop builds what it fetched: a new commit's changed file is rebuilt from the commit
# (read from git, not from the working tree, which holds something else), and a tick with
# nothing new builds nothing.
source "$(dirname "$0")/lib.sh"
docker_project
git init -q --bare "$work/remote.git"
git -C "$work/remote.git" symbolic-ref HEAD refs/heads/main
git init -q -b main "$work/work"
cd "$work/work"
git remote add origin "$work/remote.git"
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
echo one | write app/version
commit_and_push "release one"

run_expect 0 reconcile --once --remote origin --listen off
stderr_has "applied 1 image to build"
[ "$(docker logs "$project-dev-app-1" 2>&1)" = one ] || fail "release one is not running"

echo two >app/version
commit_and_push "release two"
echo three-uncommitted >app/version
run_expect 0 reconcile --once --remote origin --listen off
stderr_has "build image $project/app:"
[ "$(docker logs "$project-dev-app-1" 2>&1)" = two ] || fail "the loop did not build the fetched commit"

run_expect 0 reconcile --once --remote origin --listen off
stderr_lacks "build image"
pass

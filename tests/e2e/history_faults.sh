# Deployment history against a damaged or foreign ref, bad record numbers and environments, and a
# repository owned by another user: each is an error that names the ref (or the repository) and
# what to do, exit 1, and an apply changes nothing; the records read well with plain git log.
source "$(dirname "$0")/lib.sh"
docker_project
unset GIT_DIR GIT_WORK_TREE GIT_CONFIG_GLOBAL XDG_CONFIG_HOME
real_gitconfig=$(cat "$HOME/.gitconfig" 2>/dev/null || true)  # must be the same at the end

# The project sits in a subdirectory: the repository an error names is its top, not the project.
mkdir -p "$work/repo/deploy"
repo=$(cd "$work/repo" && pwd -P)
git -C "$repo" init -q -b main
git -C "$repo" config user.name "Ann Example"
git -C "$repo" config user.email ann@example.com
cd "$repo/deploy"
config() {
  write run-config.yaml <<YAML
version: "2"
project: $project
default_environment: dev
services:
  web:
    image: $1
    init: true
    command: ["sleep", "100000"]
environments:
  dev: {}
  staging: {}
  production: {}
YAML
}
containers() { docker ps -aq --no-trunc --filter "label=run.project=$project" | sort; }
image_of_web() { docker inspect -f '{{.Config.Image}}' "$project-dev-web-1"; }
no_staging_objects() {
  [ -z "$(docker ps -aq --filter "label=run.project=$project" --filter label=run.environment=staging)" ] ||
    fail "a staging container was created"
  ! docker network inspect "$project-staging" >/dev/null 2>&1 || fail "the staging network was created"
}

config run-demo/busybox:latest
git -C "$repo" add -A && git -C "$repo" commit -qm "web on busybox"
head=$(git -C "$repo" rev-parse HEAD)
run_expect 0 apply --auto-approve --progress plain
stdout_has "Recorded as dev #1 (refs/run/history/dev)."
config tsp/app:1.4.3  # left uncommitted: record #2 says its config had uncommitted changes
run_expect 0 apply --auto-approve --progress plain
stdout_has "Recorded as dev #2 (refs/run/history/dev)."

# --- git log reads the story: subjects, author, body and trailers git itself parses.
[ "$(git log --format=%s refs/run/history/dev)" = "dev #2: apply succeeded: 0 to add, 0 to change, 1 to replace, 0 to start, 0 to remove
dev #1: apply succeeded: 2 to add, 0 to change, 0 to replace, 0 to start, 0 to remove" ] ||
  fail "git log subjects: $(git log --format=%s refs/run/history/dev)"
[ "$(git log -1 --format='%an <%ae>' refs/run/history/dev)" = "Ann Example <ann@example.com>" ] || fail "the author is not git's identity"
[ "$(git log -1 --format='%(trailers:only,unfold)' refs/run/history/dev)" = "Run-Record: 2
Run-Environment: dev
Run-Kind: apply
Run-Outcome: succeeded
Run-Source: $head
Run-Source-Dirty: true" ] || fail "record #2's trailers, as git parses them: $(git log -1 --format=%B refs/run/history/dev)"
git log -1 --format=%b refs/run/history/dev~1 | grep -qxF "Config: ${head:0:12}" || fail "record #1's body lacks its config commit"
git log -1 --format=%b refs/run/history/dev | grep -qxF "Config: ${head:0:12} (with uncommitted changes)" ||
  fail "record #2's body does not say its config had uncommitted changes"
git log -1 --format=%b refs/run/history/dev | grep -q "^Actions: 1 done, 0 failed, 0 not done, in [0-9.]* s$" ||
  fail "record #2's body lacks its actions"
[ "$(git ls-tree --full-tree --name-only refs/run/history/dev | tr '\n' ' ')" = "plan.json result.json state.json " ] || fail "a record's files"
[ "$(git rev-list --count refs/run/history/dev)" = 2 ] || fail "the history ref carries more than its records"
[ "$(git status --porcelain)" = " M deploy/run-config.yaml" ] || fail "recording touched the work tree or the index: $(git status --porcelain)"
[ "$(git rev-parse HEAD)" = "$head" ] || fail "recording moved the branch"

# --- Record numbers and environments that do not exist.
run_expect 1 show 99
stderr_has "error: environment 'dev' has no record #99"
stderr_has "hint: its records are #1 to #2; 'run history --env dev' lists them"
run_expect 1 show 0
stderr_has "'0' is not a record number (1 or more; 'run history' lists them)"
run_expect 0 history --env production
stdout_has "Environment production has no deployment records yet: 'run apply --env production' writes the first."
run_expect 1 show --env production
stderr_has "error: environment 'production' has no deployment records yet"
run_expect 1 rollback --env production --auto-approve
stderr_has "error: environment 'production' has no deployment records: there is nothing to roll back to"
stderr_has "hint: records are written by 'run apply --env production'"
run_expect 1 history --env prod
stderr_has "run-config.yaml: error: unknown environment 'prod', and it has no deployment records (at environments)"
stderr_has "hint: did you mean 'production'?"
run_expect 1 show 1 --env nosuch
stderr_has "unknown environment 'nosuch', and it has no deployment records"
stderr_has "hint: declared: dev, staging, production"

# --- An ordinary commit on dev's ref: every command that reads the history stops, and apply
# changes nothing although the configuration asks for a change.
before=$(containers)
tip=$(git rev-parse refs/run/history/dev)
git update-ref refs/run/history/dev "$head"
config tsp/app:1.4.2
for command in "history --env dev" "history -o json" "show" "show 1" "plan" "apply --auto-approve" "rollback --auto-approve"; do
  # shellcheck disable=SC2086  # the words of the command
  run_expect 1 $command
  stderr_has "error: refs/run/history/dev holds commit ${head:0:12}, which is not a deployment record (no Run-Record trailer)"
  stderr_has "hint: refs/run/ belongs to run; if this ref was written by hand, delete it: git update-ref -d refs/run/history/dev"
  [ ! -s "$work/stdout" ] || fail "run $command printed a result"
done
[ "$(containers)" = "$before" ] || fail "apply changed containers behind a foreign ref"
[ "$(image_of_web)" = tsp/app:1.4.3 ] || fail "web was changed behind a foreign ref"
! lock_held "$project" || fail "the lock was left behind"
git update-ref refs/run/history/dev "$tip"
run_expect 0 history --env dev
stdout_has "#2 "

# --- Damaged refs of an environment with no containers: a blob, a gap in the numbers, another
# environment's records. No staging container or network is ever created.
check_staging_refused() {
  for command in "history --env staging" "show --env staging" "plan --env staging" "apply --env staging --auto-approve"; do
    # shellcheck disable=SC2086
    run_expect 1 $command
    stderr_has "error: refs/run/history/staging $1"
    stderr_has "delete"
    stderr_has "git update-ref -d refs/run/history/staging"
  done
  no_staging_objects
}
blob=$(echo "not a record" | git hash-object -w --stdin)
git update-ref refs/run/history/staging "$blob"
check_staging_refused "points at a blob (${blob:0:12}), not at a deployment record"

record_message() {  # ENV NUMBER: a record's message, as run writes it
  printf '%s #%s: apply succeeded: 1 to add, 0 to change, 0 to replace, 0 to start, 0 to remove\n\nRun-Record: %s\nRun-Environment: %s\nRun-Kind: apply\nRun-Outcome: succeeded\n' \
    "$1" "$2" "$2" "$1"
}
tree=$(git rev-parse "$tip^{tree}")
first=$(record_message staging 1 | git commit-tree "$tree")
third=$(record_message staging 3 | git commit-tree "$tree" -p "$first")
git update-ref refs/run/history/staging "$third"
check_staging_refused "is not a chain of consecutive records (#3 follows #1)"
second=$(record_message staging 2 | git commit-tree "$tree" -p "$head")
git update-ref refs/run/history/staging "$second"
check_staging_refused "holds commit ${head:0:12}, which is not a deployment record (no Run-Record trailer)"
git update-ref refs/run/history/staging "$tip"
check_staging_refused "holds record ${tip:0:12} of environment 'dev'"
# The hint's command is the fix.
git update-ref -d refs/run/history/staging
run_expect 0 history --env staging
stdout_has "Environment staging has no deployment records yet"
run_expect 0 plan --env staging
no_staging_objects
config tsp/app:1.4.3

# --- A repository owned by another user (a CI checkout): refused, with the command that trusts
# it, whether the global git config has no safe.directory at all or only other ones. HOME is a
# directory of this script's own, so the real global config is never read or changed. The
# config asks for a change: an apply with nothing to do reads no history, so it would not ask.
config tsp/app:1.4.2
mkdir -p "$work/home-none" "$work/home-other" "$work/home-trusted"
HOME=$work/home-other git config --global --add safe.directory /somewhere/else
chown -R nobody "$repo"
for home in "$work/home-none" "$work/home-other"; do
  ! HOME=$home git -C "$repo" status >/dev/null 2>&1 || fail "git itself trusts $repo: the test proves nothing"
  for command in "history --env dev" "show" "apply --auto-approve"; do
    # shellcheck disable=SC2086
    HOME=$home run_expect 1 $command
    stderr_has "error: the git repository at $repo belongs to another user, and git refuses to use it"
    stderr_has "hint: if you trust it, run: git config --global --add safe.directory $repo "
  done
done
[ ! -e .run ] || fail "records went to .run/ of a repository git refused"
[ "$(containers)" = "$before" ] || fail "apply changed containers in a repository git refused"
HOME=$work/home-trusted git config --global --add safe.directory "$repo"
HOME=$work/home-trusted run_expect 0 history --env dev
stdout_has "#2 "
stdout_has "#1 "
[ "$(cat "$HOME/.gitconfig" 2>/dev/null || true)" = "$real_gitconfig" ] || fail "the real global git config changed"
pass

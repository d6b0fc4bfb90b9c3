# A project outside any git repository: its records go to a bare repository at .run/history.git
# that plain git reads, and the commands that only read (plan, history, show, a refused rollback)
# create nothing under .run/; one owned by another user is refused with the command that trusts it.
source "$(dirname "$0")/lib.sh"
docker_project
export RUN_ACTOR="Ann Example <ann@example.com>"
mkdir project
cd project
! git rev-parse --git-dir >/dev/null 2>&1 || fail "$PWD is inside a git repository: the test proves nothing"
config() {
  write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web:
    image: $1
    init: true
    command: ["sleep", "100000"]
environments:
  dev: {}
YAML
}
history_git() { git --git-dir .run/history.git "$@"; }

config run-demo/busybox:latest
run_expect 0 plan
run_expect 0 history
stdout_has "Environment dev has no deployment records yet: 'run apply --env dev' writes the first."
run_expect 0 history -o json
[ "$(json_field "$work/stdout" "d['records']")" = "[]" ] || fail "records of an environment with none"
run_expect 1 show
stderr_has "error: environment 'dev' has no deployment records yet"
stderr_has "hint: records are written by 'run apply --env dev'"
run_expect 1 rollback --auto-approve
stderr_has "error: environment 'dev' has no deployment records: there is nothing to roll back to"
[ ! -e .run ] || fail "a command that only reads created .run/: $(find .run | head)"

run_expect 0 apply --auto-approve --progress plain
stdout_has "Recorded as dev #1 (refs/run/history/dev)."
[ "$(history_git rev-parse --is-bare-repository)" = true ] || fail ".run/history.git is not a bare repository"
config tsp/app:1.4.3
run_expect 0 apply --auto-approve --progress plain
stdout_has "Recorded as dev #2 (refs/run/history/dev)."

[ "$(history_git log --format=%s refs/run/history/dev)" = "dev #2: apply succeeded: 0 to add, 0 to change, 1 to replace, 0 to start, 0 to remove
dev #1: apply succeeded: 2 to add, 0 to change, 0 to replace, 0 to start, 0 to remove" ] ||
  fail "git log of .run/history.git: $(history_git log --format=%s refs/run/history/dev)"
[ "$(history_git log -1 --format='%an <%ae>' refs/run/history/dev)" = "Ann Example <ann@example.com>" ] ||
  fail "the author is not RUN_ACTOR"
history_git log -1 --format=%b refs/run/history/dev | grep -qxF "Config: not in a git repository" ||
  fail "record #2's body does not say where its config came from"
[ "$(history_git log -1 --format='%(trailers:only,unfold)' refs/run/history/dev)" = "Run-Record: 2
Run-Environment: dev
Run-Kind: apply
Run-Outcome: succeeded" ] || fail "record #2's trailers: $(history_git log -1 --format=%B refs/run/history/dev)"
[ "$(history_git show refs/run/history/dev:state.json | json_field /dev/stdin "d['services'][0]['image']")" = tsp/app:1.4.3 ] ||
  fail "record #2's state.json does not hold the deployed image"
history_git fsck --full --strict --no-dangling >/dev/null 2>&1 || fail "git fsck of .run/history.git"

run_expect 0 history
grep -qE '^#1 +[0-9TZ:-]+ +succeeded +apply +Ann Example +- +2 to add' "$work/stdout" || fail "history row of #1"
run_expect 0 show 2
stdout_has "dev #2: apply succeeded: 0 to add, 0 to change, 1 to replace, 0 to start, 0 to remove"
stdout_has "Config:   not in a git repository"
stdout_has "web  tsp/app:1.4.3"
run_expect 0 plan --detailed-exitcode

# .run/history.git owned by another user is refused as a checkout would be, with the path to trust
# (HOME is this script's own: the real global git config is never read or changed).
mkdir "$work/home-none" "$work/home-trusted"
chown -R nobody .run/history.git
HOME=$work/home-none run_expect 1 history
stderr_has "error: the git repository at $PWD/.run/history.git belongs to another user, and git refuses to use it"
stderr_has "hint: if you trust it, run: git config --global --add safe.directory $PWD/.run/history.git "
HOME=$work/home-trusted git config --global --add safe.directory "$PWD/.run/history.git"
HOME=$work/home-trusted run_expect 0 history
stdout_has "#2 "
pass

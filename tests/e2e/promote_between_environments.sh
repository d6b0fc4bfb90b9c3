# run promote staging production: the image staging last deployed is written into
# environments/production.yaml where the old one stood, comments and layout kept; the overlay's
# diff and a plan that replaces the app container are shown and nothing runs yet. --apply then
# really changes the running image, and --commit commits that overlay alone, with a message that
# names the version change, leaving another staged file staged.
source "$(dirname "$0")/lib.sh"
docker_project
mkdir project && cd project  # run's stdout and stderr stay in $work, out of git status
git init -q -b main .
git config user.name "Release Bot"
git config user.email release@example.com
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  app:
    image: tsp/app:1.4.2
    init: true
    command: ["sleep", "100000"]
  worker:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
environments:
  staging: {}
  production: {}
YAML
write environments/staging.yaml <<'YAML'
# staging runs the release candidate
services:
  app:
    image: tsp/app:1.4.3
YAML
write environments/production.yaml <<'YAML'
# production: what customers use.
services:
  app:
    # the release train sets this line: run promote staging production
    image: tsp/app:1.4.2   # last release
    env:
      LOG_LEVEL: warn     # quiet in production

  # workers follow the queue
  worker:
    replicas: 1
YAML
git add -A
git commit -q -m "the project"
image_of() { docker inspect -f '{{.Config.Image}}' "$project-$1-app-1"; }

# Before staging has a successful deployment there is nothing to promote from.
run_expect 1 promote staging production
stderr_has "error: environment staging has no successful deployment yet: run 'run apply --env staging' first"
git diff --quiet || fail "a refused promote changed a file"

run_expect 0 apply --env staging --auto-approve --progress plain
run_expect 0 apply --env production --auto-approve --progress plain
[ "$(image_of staging) $(image_of production)" = "tsp/app:1.4.3 tsp/app:1.4.2" ] || fail "the setup did not deploy"

# The promotion: the overlay's diff, then production's plan; nothing is deployed yet.
run_expect 0 promote staging production
stdout_has "Promoting staging deployment #1 (config $(git rev-parse --short=7 HEAD)) to production:"
stdout_has "  app tsp/app:1.4.2 -> tsp/app:1.4.3"
stdout_has "--- a/environments/production.yaml"
stdout_has "+++ b/environments/production.yaml"
stdout_has "-    image: tsp/app:1.4.2   # last release"
stdout_has "+    image: tsp/app:1.4.3   # last release"
stdout_has "replace container $project-production-app-1"
stdout_has "image: tsp/app:1.4.2 -> tsp/app:1.4.3"
stdout_lacks "$project-production-worker-1"
write "$work/expected.yaml" <<'YAML'
# production: what customers use.
services:
  app:
    # the release train sets this line: run promote staging production
    image: tsp/app:1.4.3   # last release
    env:
      LOG_LEVEL: warn     # quiet in production

  # workers follow the queue
  worker:
    replicas: 1
YAML
diff -u "$work/expected.yaml" environments/production.yaml || fail "the overlay is not the expected surgical edit"
[ "$(image_of production)" = "tsp/app:1.4.2" ] || fail "promote without --apply changed production"

# --apply: nothing is left to promote, and production is applied.
run_expect_within 300 0 promote staging production --apply --auto-approve --progress plain
stdout_has "Nothing to promote: production already has what staging deployed."
stdout_has "Apply complete: 1 action"
[ "$(image_of production)" = "tsp/app:1.4.3" ] || fail "production does not run tsp/app:1.4.3"
[ "$(docker inspect -f '{{.State.Running}}' "$project-production-app-1")" = "true" ] || fail "app is not running"

# --commit: the promotion the first run wrote is committed, and only it; a file staged
# beforehand stays staged and out of the commit.
echo "notes" >NOTES.md
git add NOTES.md
run_expect 0 promote staging production --commit
stdout_has "Committed "
stdout_has " on main: promote staging -> production: app tsp/app:1.4.2 -> tsp/app:1.4.3"
[ "$(git log -1 --format=%s)" = "promote staging -> production: app tsp/app:1.4.2 -> tsp/app:1.4.3" ] ||
  fail "the commit message is $(git log -1 --format=%s)"
git log -1 --format=%b | grep -qF "From deployment #1 of staging (refs/run/history/staging)" || fail "the body names no deployment"
[ "$(git log -1 --format='%an <%ae>')" = "Release Bot <release@example.com>" ] || fail "the author is not the git identity"
[ "$(git show --name-only --format= HEAD)" = "environments/production.yaml" ] || fail "the commit holds other files"
[ "$(git status --porcelain)" = "A  NOTES.md" ] || fail "the index or the tree moved: $(git status --porcelain)"
git show HEAD:environments/production.yaml | diff -u "$work/expected.yaml" - || fail "the commit holds another overlay"

# An overlay with an unrelated change of its own is not committed with a promotion.
sed -i 's/tsp\/app:1.4.3/tsp\/app:1.4.2/' environments/staging.yaml
run_expect_within 300 0 apply --env staging --auto-approve --progress plain
sed -i 's/LOG_LEVEL: warn/LOG_LEVEL: error/' environments/production.yaml
cp environments/production.yaml "$work/before.yaml"
run_expect 1 promote staging production --commit
stderr_has "error: environments/production.yaml has changes that are not committed: --commit would commit that too, with the promotion"
cmp -s "$work/before.yaml" environments/production.yaml || fail "a refused promote --commit changed the overlay"
pass

# run promote refuses bad input with a clear message and exit 1, and changes nothing: unknown
# environments (with a suggestion), FROM equal to TO, an environment with no deployment yet, an
# overlay a text edit cannot change safely (flow style), and --commit outside a git repository,
# on a detached HEAD, or with changes of the overlay already staged.
source "$(dirname "$0")/lib.sh"
docker_project
mkdir project && cd project
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  app:
    image: tsp/app:1.4.2
    init: true
    command: ["sleep", "100000"]
environments:
  staging: {}
  production: {}
YAML
write environments/staging.yaml <<'YAML'
services:
  app:
    image: tsp/app:1.4.3
YAML
write environments/production.yaml <<'YAML'
services:
  app: { replicas: 1 }   # flow style
YAML
echo ".run/" >.gitignore
cp environments/production.yaml "$work/overlay.yaml"
unchanged() { cmp -s "$work/overlay.yaml" environments/production.yaml || fail "the overlay changed"; }

run_expect 1 promote stagng production
stderr_has "run-config.yaml: error: unknown environment 'stagng' (at environments)"
stderr_has "hint: did you mean 'staging'?"
run_expect 1 promote staging prodution
stderr_has "run-config.yaml: error: unknown environment 'prodution' (at environments)"
stderr_has "hint: did you mean 'production'?"
run_expect 1 promote staging staging
stderr_has "error: cannot promote staging to itself"
run_expect 1 promote staging production
stderr_has "error: environment staging has no successful deployment yet: run 'run apply --env staging' first"
unchanged

# Outside git, the records live in .run/history.git.
run_expect_within 300 0 apply --env staging --auto-approve --progress plain
run_expect 1 promote staging production
stderr_has "environments/production.yaml:2:8: error: cannot edit inside a flow-style mapping ({ ... }) (at services.app)"
stderr_has "hint: edit environments/production.yaml by hand: set services.app.image to \"tsp/app:1.4.3\""
stdout_lacks "Promoting"
unchanged

printf 'services:\n  app:\n    replicas: 1\n' >environments/production.yaml
cp environments/production.yaml "$work/overlay.yaml"
run_expect 1 promote staging production --commit
stderr_has "error: --commit needs a git repository, and "
stderr_has "hint: run without --commit, or keep the project in git (git init)"
unchanged

# In git, the records live in the repository: staging is deployed again there.
git init -q -b main .
git config user.name "E2E" && git config user.email e2e@example.com
git add -A && git commit -q -m "the project"
printf '    env: { RELEASE: "2" }\n' >>environments/staging.yaml
run_expect_within 300 0 apply --env staging --auto-approve --progress plain
git checkout -q --detach
run_expect 1 promote staging production --commit
stderr_has "error: HEAD is detached: --commit commits on the current branch, and there is none"
unchanged
git checkout -q main

printf '# staged by hand\n' >>environments/production.yaml
git add environments/production.yaml
cp environments/production.yaml "$work/overlay.yaml"
run_expect 1 promote staging production --commit
stderr_has "error: environments/production.yaml has staged changes: --commit would commit that too, with the promotion"
stderr_has "hint: commit or stash it first (git stash push -- environments/production.yaml), or run without --commit"
unchanged
[ "$(git log --oneline | wc -l)" -eq 1 ] || fail "a refused promote committed"
pass

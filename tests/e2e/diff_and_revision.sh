# render and plan read the config at a git revision without touching the working tree;
# diff compares two rendered states (ENV or REV:ENV) field by field, with provenance.
source "$(dirname "$0")/lib.sh"
docker_project

git init -q repo
cd repo
git config user.email e2e@example.com
git config user.name e2e
write .gitignore <<'EOF'
.env
.run/
EOF
write run-config.yaml <<YAML
version: "2"
project: $project
default_environment: dev
services:
  web:
    image: "run-demo/busybox:\${TAG}"
    command: ["sleep", "1000"]
    env:
      LEVEL: info
      PASSWORD: "\${secret:PASSWORD}"
environments:
  dev: {}
  production: {}
YAML
write environments/production.yaml <<'YAML'
services:
  web:
    replicas: 3
    env: { LEVEL: warn, BACKUP: "on" }
YAML
# Never committed: a variable and a secret that every revision takes from the working tree.
echo "TAG=latest" > .env
write .run/secrets/dev.env <<<"PASSWORD=canary-e2e-dev-secret"
write .run/secrets/production.env <<<"PASSWORD=canary-e2e-production-secret"
git add -A && git commit -qm first
sed -i 's/LEVEL: info/LEVEL: debug/' run-config.yaml
git commit -qam second
head_before=$(git rev-parse HEAD)
status_before=$(git status --porcelain)
old_commit=$(git rev-parse --short HEAD~1)

# render: the old value, named by revision; the working tree still has the new one.
run_expect 0 render --revision HEAD~1
stdout_has "LEVEL: info"
stdout_has "image: run-demo/busybox:latest"
stdout_has "PASSWORD: (sensitive)"
run_expect 0 render --revision HEAD~1 --show-origin
stdout_has "LEVEL: info  # HEAD~1:run-config.yaml:9"
run_expect 0 render
stdout_has "LEVEL: debug"
[ "$(git status --porcelain)" = "$status_before" ] || fail "render --revision changed git status"
[ "$(git rev-parse HEAD)" = "$head_before" ] || fail "render --revision moved HEAD"

# Found from a config file anywhere: the repository is the config's, not the current directory's.
cd "$work"
run_expect 0 -f repo/run-config.yaml render --revision HEAD~1 --env production
stdout_has "LEVEL: warn"
stdout_has "replicas: 3"
cd repo

# plan: the old config against the daemon (nothing exists yet: a create with the old value);
# its secret comes from the working tree's .run/secrets.
run_expect 0 plan --revision HEAD~1 -o json
python3 - "$work/stdout" <<'PY' || fail "plan --revision did not plan the old config"
import json, sys
plan = json.load(open(sys.argv[1]))
changes = {c["path"]: c for a in plan["actions"] if a["kind"] == "container" for c in a["changes"]}
assert changes["env.LEVEL"]["after"] == "info", changes["env.LEVEL"]
assert changes["env.PASSWORD"]["after"] == "(sensitive)", changes["env.PASSWORD"]
PY
[ "$(git status --porcelain)" = "$status_before" ] || fail "plan --revision changed git status"

# diff between environments: changed and added fields, each with where it was set.
run_expect 0 diff dev production
stdout_has "--- a: dev (working tree)"
stdout_has "+++ b: production (working tree)"
stdout_has "~ services.web.env.LEVEL: debug -> warn  # run-config.yaml:9 -> environments/production.yaml:4"
stdout_has "+ services.web.env.BACKUP = \"on\"  # environments/production.yaml:4"
stdout_has "+ services.web.replicas = 3  # environments/production.yaml:3"
stdout_has "~ services.web.env.PASSWORD: (sensitive) -> (sensitive)  # run-config.yaml:10"
stdout_has "4 fields differ: 2 changed, 2 added (only in production), 0 removed (only in dev)."
stdout_lacks "canary"
stderr_lacks "canary"

# diff across revisions: what the last commit changed in dev.
run_expect 0 diff HEAD~1:dev dev
stdout_has "--- a: HEAD~1:dev ($old_commit)"
stdout_has "~ services.web.env.LEVEL: info -> debug  # HEAD~1:run-config.yaml:9 -> run-config.yaml:9"
stdout_has "1 field differs: 1 changed, 0 added (only in dev), 0 removed (only in HEAD~1:dev)."

# JSON for scripts.
run_expect 0 diff HEAD~1:dev production -o json
python3 - "$work/stdout" "$(git rev-parse HEAD~1)" <<'PY' || fail "diff -o json is not as documented"
import json, sys
diff = json.load(open(sys.argv[1]))
assert diff["format_version"] == "1"
assert diff["a"] == {"label": "HEAD~1:dev", "environment": "dev", "revision": "HEAD~1", "commit": sys.argv[2]}, diff["a"]
assert diff["b"]["revision"] is None and diff["b"]["commit"] is None
assert diff["identical"] is False
assert diff["summary"] == {"changed": 2, "added": 2, "removed": 0}, diff["summary"]
password = next(d for d in diff["differences"] if d["path"] == "services.web.env.PASSWORD")
assert password["a"]["value"] == password["b"]["value"] == "(sensitive)" and password["b"]["sensitive"] is True
assert "canary" not in open(sys.argv[1]).read()
level = next(d for d in diff["differences"] if d["path"] == "services.web.env.LEVEL")
assert level["change"] == "changed"
assert level["a"] == {"value": "info", "origin": "HEAD~1:run-config.yaml:9", "sensitive": False}, level["a"]
assert level["b"]["value"] == "warn" and level["b"]["origin"] == "environments/production.yaml:4"
replicas = next(d for d in diff["differences"] if d["path"] == "services.web.replicas")
assert replicas["a"] is None and replicas["b"]["value"] == 3
assert [d["path"] for d in diff["differences"]] == sorted(d["path"] for d in diff["differences"])
PY
run_expect 0 diff dev production -o markdown
stdout_has "| 🟡 \`~\` | \`services.web.env.LEVEL\` |"

# --exit-code: 1 when they differ (git's convention), 0 when they do not.
run_expect 1 diff --exit-code dev production
stdout_has "4 fields differ"
run_expect 0 diff --exit-code HEAD:dev dev
stdout_has "No differences: HEAD:dev and dev render the same state."
[ "$(git status --porcelain)" = "$status_before" ] || fail "diff changed git status"

# Bad input: a clear error and exit 1, nothing on stdout.
run_expect 1 diff no-such-rev:dev dev
stderr_has "revision 'no-such-rev' does not exist"
[ ! -s "$work/stdout" ] || fail "a failing diff printed to stdout"
run_expect 1 render --revision HEAD~9
stderr_has "revision 'HEAD~9' does not exist"
run_expect 1 plan --revision no-such-rev
stderr_has "revision 'no-such-rev' does not exist"
run_expect 1 diff dev prodution
stderr_has "unknown environment 'prodution'"
stderr_has "did you mean 'production'?"
run_expect 1 diff HEAD~1: dev
stderr_has "'HEAD~1:' is not ENV or REV:ENV"

# An error in a committed file names it by revision.
git checkout -q -b broken
write environments/dev.yaml <<'YAML'
services:
  web: { replicas: two }
YAML
git add environments/dev.yaml && git commit -qm broken
git checkout -q -
run_expect 1 render --revision broken
stderr_has "broken:environments/dev.yaml:2:"
run_expect 1 diff broken:dev dev
stderr_has "broken:environments/dev.yaml:2:"

# Outside any git repository there are no revisions.
mkdir "$work/plain" && cp run-config.yaml "$work/plain/" && cd "$work/plain"
run_expect 1 render --revision HEAD
stderr_has "is not in a git repository"
pass

# validate -o json gives the diagnostics as JSON on stdout, for CI annotations.
source "$(dirname "$0")/lib.sh"
minimal_project
write environments/production.yaml <<'YAML'
services:
  web:
    replicas: -1
YAML
run_expect 1 validate -o json
stdout_has '"valid": false'
stdout_has '"file": "environments/production.yaml", "line": 3, "column": 15'
stdout_has '"path": "services.web.replicas"'
if command -v python3 >/dev/null; then
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["errors"]==1, d' "$work/stdout" || fail "not valid JSON"
fi
run_expect 0 validate -o json --env dev
stdout_has '"valid": true'
pass

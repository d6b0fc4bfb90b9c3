# The planner's path only reads: every request plan sends to Docker is a GET.
source "$(dirname "$0")/lib.sh"
require_docker
minimal_project
run_expect 0 -v plan
grep -q "docker: GET /v1\.[0-9]*/containers/json" "$work/stderr" || fail "no request was logged"
if grep "docker: " "$work/stderr" | grep -v "docker: API version" | grep -qv "docker: GET "; then
  fail "plan sent a request that is not a GET: $(grep 'docker: ' "$work/stderr" | grep -v 'docker: GET ')"
fi
pass

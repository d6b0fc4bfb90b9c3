# plan --out FILE saves the plan with fingerprints of the desired and the live state.
source "$(dirname "$0")/lib.sh"
require_docker
minimal_project
run_expect 0 plan --out saved.json
stdout_has "Plan: 2 to add"
[ -s saved.json ] || fail "no saved plan"
[ "$(json_field saved.json 'len(d["desired_fingerprint"])')" = 64 ] || fail "no desired fingerprint"
[ "$(json_field saved.json 'len(d["observed_fingerprint"])')" = 64 ] || fail "no observed fingerprint"
[ "$(json_field saved.json 'd["plan"]["summary"]["create"]')" = 2 ] || fail "the saved plan lacks its actions"
run_expect 1 plan --out /nonexistent/dir/saved.json
stderr_has "cannot write the plan file"
pass

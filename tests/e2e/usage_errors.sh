# Bad usage exits 1 with a hint; --help exits 0; only built commands are registered, and the
# internal one (__fetch) is hidden.
source "$(dirname "$0")/lib.sh"
run_expect 1 --no-such-flag
stderr_has "run 'run --help' for usage"
run_expect 1 frobnicate
stderr_has "error: unknown command 'frobnicate'"
run_expect 1 --env dev plna
stderr_has "did you mean 'plan'?"
run_expect 1
run_expect 0 --help
stdout_has "validate"
stdout_has "explain"
stdout_has "plan"
stdout_has "apply"
stdout_has "rollback"
stdout_has "reconcile"
# The internal child of reconcile's fetch is neither listed nor suggested.
stdout_lacks "__fetch"
run_expect 1 fetch
stderr_has "error: unknown command 'fetch'"
stderr_lacks "__fetch"
run_expect 1 doctor
stderr_has "error: unknown command 'doctor'"
run_expect 0 validate --help
stdout_has "Exit 0 when valid"
run_expect 0 version
stdout_has "run "
run_expect 1 -o xml version
pass

# A cold apply of 100 services with --parallelism 2 finishes (docker-compose 1.29 deadlocks at
# 64 or more), every container runs, and the next plan is a no-op. Prints the wall time.
source "$(dirname "$0")/lib.sh"
require_docker
project=$(unique_project)
trap 'cleanup_project "$project"; docker rm -f run-lock-$project-dev >/dev/null 2>&1; rm -rf "$work"' EXIT
{
  printf 'version: "2"\nproject: %s\nservices:\n' "$project"
  for i in $(seq -w 1 100); do
    cat <<YAML
  s$i:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
YAML
  done
  printf 'environments:\n  dev: {}\n'
} | write run-config.yaml

started=$(date +%s.%N)
run_expect_within 600 0 apply --auto-approve --progress plain --parallelism 2
wall=$(echo "$(date +%s.%N) - $started" | bc)
echo "cold apply of 100 services (--parallelism 2): ${wall} s wall; run says: $(grep -o 'Apply complete.*' "$work/stdout")"
stdout_has "Apply complete: 101 actions"
[ "$(grep -c '^  done create container' "$work/stderr")" -eq 100 ] || fail "not 100 containers reported done"
running=$(docker ps -q --filter "label=run.project=$project" --filter status=running | wc -l)
[ "$running" -eq 100 ] || fail "$running containers run, expected 100"

run_expect_within 60 0 plan --detailed-exitcode
lock_held "$project" && fail "a lock remains"
pass

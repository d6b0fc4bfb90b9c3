# Crash test: 50 applies of random changes to a project of 6 to 10 services (image, env,
# replicas, memory, services added and removed, start-first and stop-first), a random half of
# them SIGKILLed at a random moment. After each kill the stale lock is named as such, the plan
# says what the killed apply left, and, once the lock is forced, the next apply converges:
# exactly the desired containers, each with its desired config, no -next container, no
# orphaned network, the lock released, and a record of every apply (the killed ones read
# interrupted). Seeded and reproducible: RUN_CRASH_SEED=N replays a run; the seed is printed
# on failure. Bounded: RUN_CRASH_ROUNDS (50) rounds, at most RUN_CRASH_SECONDS (420) in all.
source "$(dirname "$0")/lib.sh"
docker_project
seed=${RUN_CRASH_SEED:-$(date +%s)}
rounds=${RUN_CRASH_ROUNDS:-50}
budget=${RUN_CRASH_SECONDS:-420}
trap 'code=$?; [ "$code" -eq 0 ] || echo "crash test seed: $seed (RUN_CRASH_SEED=$seed replays it)" >&2; cleanup_project "$project"; docker rm -f "run-lock-$project-dev" >/dev/null 2>&1; rm -rf "$work"' EXIT
echo "seed $seed, $rounds rounds"

# generate ROUND: writes run-config.yaml for that round and desired.json (what each container
# must be), and prints the kill delay in milliseconds (0: not killed).
generate() {
  python3 - "$seed" "$1" "$project" <<'PY'
import json, random, sys
seed, round_number, project = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
pool = random.Random(seed)
count = pool.randint(6, 10)             # how many services this run's project has at most
names = ["s%d" % i for i in range(count)]
r = random.Random(seed * 1000 + round_number)
present = [n for n in names if r.random() < 0.85] or names[:1]
images = ["run-demo/busybox:latest", "tsp/app:1.4.2", "tsp/app:1.4.3"]
lines = ['version: "2"', "project: " + project, "services:"]
desired = {}
for name in present:
    image = r.choice(images)
    version = str(r.randint(1, 3))
    replicas = r.randint(1, 2)
    memory = r.choice([None, "32M", "48M"])
    order = r.choice(["start-first", "stop-first"])
    lines += ["  %s:" % name, "    image: " + image, "    init: true",
              '    command: ["sleep", "100000"]', "    replicas: %d" % replicas,
              "    env: { VERSION: \"%s\" }" % version,
              "    update: { order: %s }" % order]
    if memory:
        lines.append("    resources: { memory: %s }" % memory)
    if name in ("s0", "s1"):  # a health check: replaces wait for it, so kills land mid-wait
        lines.append('    healthcheck: { test: ["CMD", "true"], interval: 1s, retries: 3 }')
    for i in range(1, replicas + 1):
        desired["%s-dev-%s-%d" % (project, name, i)] = {
            "image": image, "version": version,
            "memory": {None: 0, "32M": 32 << 20, "48M": 48 << 20}[memory]}
lines += ["environments:", "  dev: {}"]
open("run-config.yaml", "w").write("\n".join(lines) + "\n")
json.dump(desired, open("desired.json", "w"))
print(r.randint(50, 2500) if r.random() < 0.5 else 0)
PY
}

owned_containers() {
  docker ps -a --filter "label=run.project=$project" --format '{{.Names}}' | grep -v '^run-lock-' | sort
}

# Checks that what runs is exactly desired.json.
check_converged() {
  local round=$1
  run_expect 0 plan --detailed-exitcode
  python3 - "$project" <<'PY' || fail "round $round: the containers are not the desired ones"
import json, subprocess, sys
project = sys.argv[1]
desired = json.load(open("desired.json"))
names = subprocess.run(["docker", "ps", "-a", "--filter", "label=run.project=" + project,
                        "--format", "{{.Names}}"], capture_output=True, text=True, check=True).stdout.split()
names = sorted(n for n in names if not n.startswith("run-lock-"))
problems = []
if names != sorted(desired):
    problems.append("containers %s, expected %s" % (names, sorted(desired)))
for name in names:
    if name not in desired:
        continue
    info = json.loads(subprocess.run(["docker", "inspect", name], capture_output=True, text=True,
                                     check=True).stdout)[0]
    want = desired[name]
    env = dict(e.split("=", 1) for e in info["Config"]["Env"] or [])
    if info["Config"]["Image"] != want["image"]: problems.append(name + " image " + info["Config"]["Image"])
    if env.get("VERSION") != want["version"]: problems.append(name + " VERSION " + str(env.get("VERSION")))
    if info["HostConfig"]["Memory"] != want["memory"]: problems.append(name + " memory %d" % info["HostConfig"]["Memory"])
    if not info["State"]["Running"]: problems.append(name + " not running")
for p in problems: print(p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
  owned_containers | grep -q -- '-next$' && fail "round $round: a -next container is left"
  local networks
  networks=$(docker network ls -q --filter "label=run.project=$project" | wc -l)
  [ "$networks" -eq 1 ] || fail "round $round: $networks networks of the project, expected 1"
  lock_held "$project" && fail "round $round: the lock was left behind"
  run_expect 0 history -o json
  python3 - "$work/stdout" <<'PY' || fail "round $round: the records are not all finished"
import json, sys
records = json.load(open(sys.argv[1]))["records"]
bad = [r for r in records if r["outcome"] not in ("succeeded", "interrupted")]
for r in bad: print("record #%d: %s" % (r["number"], r["outcome"]), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
}

records() { "$RUN_BIN" history -o json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["records"]))'; }
newest_outcome() { "$RUN_BIN" history -o json | python3 -c 'import json,sys; r=json.load(sys.stdin)["records"]; print(r[0]["outcome"] if r else "none")'; }

started=$SECONDS
killed=0 stale_locks=0 interrupted_records=0 completed=0
for round in $(seq 1 "$rounds"); do
  if [ $((SECONDS - started)) -ge "$budget" ]; then
    echo "stopped after $((round - 1)) rounds: the ${budget} s budget is spent"
    break
  fi
  delay=$(generate "$round")
  before=$(records)
  if [ "$delay" -eq 0 ]; then
    run_expect 0 apply --auto-approve --progress plain
    check_converged "$round"
    after=$(records)
    if grep -q "Recorded as dev #" "$work/stdout"; then
      [ "$after" -eq $((before + 1)) ] || fail "round $round: $before records before, $after after"
    fi
    completed=$((completed + 1))
    continue
  fi
  "$RUN_BIN" apply --auto-approve --progress plain >"$work/killed.out" 2>"$work/killed.err" &
  pid=$!
  sleep "$(awk "BEGIN {print $delay / 1000}")"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  killed=$((killed + 1))
  if lock_held "$project"; then
    stale_locks=$((stale_locks + 1))
    run_expect 1 apply --auto-approve --progress plain
    stderr_has "that process no longer exists on this host: the lock is stale"
    stderr_has "run force-unlock --env dev"
    run_expect 0 force-unlock
  fi
  if [ "$(newest_outcome)" = interrupted ]; then
    interrupted_records=$((interrupted_records + 1))
    code=0
    timeout 120 "$RUN_BIN" plan --detailed-exitcode >"$work/stdout" 2>"$work/stderr" || code=$?
    [ "$code" -eq 0 ] || [ "$code" -eq 2 ] || fail "round $round: plan after the kill exited $code"
    [ "$code" -eq 0 ] || stdout_has "was interrupted after"
  fi
  run_expect 0 apply --auto-approve --progress plain
  check_converged "$round"
done
echo "rounds: $completed applied whole, $killed killed ($stale_locks left a stale lock, $interrupted_records an interrupted record), $((SECONDS - started)) s"
[ "$killed" -gt 0 ] || fail "no apply was killed: the test tested nothing"
pass

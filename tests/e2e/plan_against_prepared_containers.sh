# With containers prepared by hand through the docker CLI, plan names exactly the actions
# and causes: a created-not-started container is started, a memory change is an in-place
# update, an extra replica and a service no longer in the config are removed, an unchanged
# container is not touched, and a changed image is a replace that says which field forces it.
source "$(dirname "$0")/lib.sh"
docker_project
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web:
    image: run-demo/busybox:latest
    command: ["sleep", "1000"]
  worker:
    image: run-demo/busybox:latest
    command: ["sleep", "1000"]
    replicas: 2
    resources: { memory: 128M }
environments:
  dev: {}
YAML
run_expect 0 plan -o json
hash_of() { json_field "$work/stdout" "[a['config_hash'] for a in d['actions'] if a.get('service')=='$1'][0]"; }
web_hash=$(hash_of web)
worker_hash=$(hash_of worker)
labels() { echo "--label run.project=$project --label run.environment=dev --label run.service=$1 --label run.replica=$2 --label run.config-hash=$3"; }
docker network create --label run.project=$project --label run.environment=dev "$project-dev" >/dev/null
# run.spec is what run records of a container's fields; a replace diffs against it.
docker create --name "$project-dev-web-1" $(labels web 1 "$web_hash") \
  --label 'run.spec={"command":"[\"sleep\", \"1000\"]","image":"run-demo/busybox:latest"}' \
  run-demo/busybox:latest sleep 1000 >/dev/null
docker run -d --name "$project-dev-worker-1" --memory 64m $(labels worker 1 "$worker_hash") run-demo/busybox:latest sleep 1000 >/dev/null
docker run -d --name "$project-dev-worker-2" --memory 128m $(labels worker 2 "$worker_hash") run-demo/busybox:latest sleep 1000 >/dev/null
docker run -d --name "$project-dev-worker-3" --memory 128m $(labels worker 3 "$worker_hash") run-demo/busybox:latest sleep 1000 >/dev/null
docker run -d --name "$project-dev-old-1" $(labels old 1 x) run-demo/busybox:latest sleep 1000 >/dev/null
run_expect 0 plan
stdout_has "start container $project-dev-web-1  (not running (created))"
stdout_has "update container $project-dev-worker-1  (resources changed)"
stdout_has "~ resources.memory: 64M -> 128M"
stdout_has "remove container $project-dev-worker-3  (scale down 3 -> 2)"
stdout_has "remove container $project-dev-old-1  (not in config)"
stdout_lacks "$project-dev-worker-2"
stdout_lacks "network"
stdout_has "Plan: 0 to add, 1 to change, 0 to replace, 1 to start, 2 to remove."
python3 - <<'PY'
text = open("run-config.yaml").read()
text = text.replace('image: run-demo/busybox:latest', 'image: tsp/app:1.4.3', 1)
open("run-config.yaml", "w").write(text)
PY
run_expect 0 plan
stdout_has "replace container $project-dev-web-1  (image changed)"
stdout_has "~ image: run-demo/busybox:latest -> tsp/app:1.4.3   # forces replacement"
pass

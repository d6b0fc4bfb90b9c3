# A .env written for docker compose is read as compose reads it: a byte-order mark, `export`
# with a tab, a dotted name, a multi-line double-quoted value, references to the process
# environment and to lines above, an inline comment. The values reach the container's
# environment (run apply + docker inspect); a line compose would reject exits 1 naming .env:LINE.
source "$(dirname "$0")/lib.sh"
docker_project
write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web:
    image: run-demo/busybox:latest
    init: true
    command: ["sleep", "100000"]
    env:
      GREETING: \${GREETING}
      URL: \${URL}
      BANNER: \${BANNER}
      LEVEL: \${LEVEL}
      PRICE: \${PRICE}
environments:
  dev: {}
YAML
printf '\xEF\xBB\xBF# written for docker compose\n' >.env
cat >>.env <<'ENV'
export	GREETING='hello $USER' # single quotes are literal
app.region=eu-west
HOST=localhost
URL="http://${HOST}:${PORT:-8080}/${APP_PATH}"
BANNER="first line
second line\tend"
LEVEL=info # the log level
PRICE=5$$
ENV
export APP_PATH=api HOST=example.org

run_expect 0 render
stdout_has "GREETING: hello \$USER"
stdout_has "URL: http://example.org:8080/api"
stdout_has "LEVEL: info"
stdout_has "PRICE: 5\$"
stdout_lacks "the log level"

run_expect 0 apply --auto-approve --progress plain
name=$project-dev-web-1
inspect_env() { docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$name"; }
inspect_env | grep -qxF 'URL=http://example.org:8080/api' || fail "URL is not in the container: $(inspect_env)"
inspect_env | grep -qxF 'GREETING=hello $USER' || fail "GREETING is not in the container"
docker inspect -f '{{json .Config.Env}}' "$name" | grep -qF '"BANNER=first line\nsecond line\tend"' ||
  fail "BANNER is not the multi-line value: $(docker inspect -f '{{json .Config.Env}}' "$name")"
run_expect 0 destroy --auto-approve
[ -z "$(docker ps -aq --filter "label=run.project=$project")" ] || fail "destroy left a container"

# A line compose rejects, and a reference run refuses (compose would read it as empty).
printf 'GOOD=1\n\nlol$wut=2\n' >.env
run_expect 1 render
stderr_has ".env:3:4: error: unexpected '\$' in a variable name"
printf 'GOOD=1\nURL="http://${UNSET_HOST}"\n' >.env
run_expect 1 validate
stderr_has ".env:2:5: error: variable UNSET_HOST is not set"
pass

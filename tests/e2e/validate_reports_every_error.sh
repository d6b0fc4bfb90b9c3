# validate reports every error of the phase, each as FILE:LINE:COL with path and hint.
source "$(dirname "$0")/lib.sh"
write run-config.yaml <<'YAML'
version: "2"
project: e2e
services:
  web:
    image: run-demo/busybox:latest
    replica: 2
    restart: no
  worker:
    image: run-demo/busybox:latest
    replicas: many
    depends_on: [wbe]
environments:
  dev: {}
YAML
run_expect 1 validate
stderr_has "run-config.yaml:6:5: error: unknown key 'replica' (at services.web.replica)"
stderr_has "hint: did you mean 'replicas'?"
stderr_has "run-config.yaml:7:14: error: expected a string, got boolean 'no' (at services.web.restart)"
stderr_has "quote it (\"no\")"
stderr_has "run-config.yaml:10:15: error: expected an integer, got string 'many' (at services.worker.replicas)"
stderr_has "3 errors"
pass

#!/usr/bin/env bash
# The loop's HTTP side: /healthz, /readyz and /metrics answer while it runs, an idle client
# does not block them, and the status page renders in headless Chromium with the
# environment, the commit applied and the history; a broken commit shows as failures in the
# metrics and on the page.
source "$(dirname "$0")/lib.sh"
docker_project
command -v chromium >/dev/null || { echo "skip: chromium is not installed (scripts/setup.sh --for-tests installs it)"; exit 77; }
reconcile_project
start_reconcile --remote origin --interval 2s --backoff-max 2s --listen 127.0.0.1:0

wait_until 60 log_has "recorded as #1"
address=$(sed -n 's|.*status page on http://\([0-9.:]*\)/.*|\1|p' "$work/loop.log" | head -n1)
[ -n "$address" ] || fail "the loop did not say where it listens"
url="http://$address"

[ "$(curl -s --max-time 5 "$url/healthz")" = "ok" ] || fail "/healthz is not ok"
wait_until 20 curl -sf --max-time 5 -o /dev/null "$url/readyz"
curl -s --max-time 5 -D "$work/headers" "$url/metrics" >"$work/metrics"
grep -qi '^content-type: text/plain; version=0.0.4' "$work/headers" || fail "/metrics content type: $(cat "$work/headers")"
for family in run_reconcile_total run_reconcile_duration_seconds_bucket run_last_success_timestamp_seconds \
  run_drift_detected_total run_actions_total run_consecutive_failures run_build_info; do
  grep -q "^$family" "$work/metrics" || fail "/metrics lacks $family"
done
grep -q '^run_actions_total{action="create"} 2$' "$work/metrics" || fail "/metrics does not count the network and container created: $(grep actions "$work/metrics")"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d '' "$url/metrics")" = "405" ] || fail "POST /metrics is not 405"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/nothing")" = "404" ] || fail "/nothing is not 404"

# A client that connects and says nothing holds one worker, not the server.
port=${address##*:}
exec 3<>"/dev/tcp/127.0.0.1/$port"
started=$SECONDS
[ "$(curl -s --max-time 5 "$url/healthz")" = "ok" ] || fail "/healthz did not answer beside an idle client"
[ $((SECONDS - started)) -le 2 ] || fail "/healthz waited for the idle client"
exec 3>&-

# The status page, as a browser renders it.
commit=$(git rev-parse HEAD)
timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --dump-dom "$url/" >"$work/dom.html" 2>"$work/chromium.log" ||
  fail "chromium could not render the page: $(tail -5 "$work/chromium.log")"
python3 - "$work/dom.html" "$commit" <<'PY' || fail "the rendered page lacks what it should show"
import sys
from html.parser import HTMLParser
class Texts(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.by_id = {}
    def handle_starttag(self, tag, attrs):
        ident = dict(attrs).get("id")
        self.stack.append(ident)
        if ident: self.by_id.setdefault(ident, "")
    def handle_endtag(self, tag):
        if self.stack: self.stack.pop()
    def handle_data(self, data):
        for ident in self.stack:
            if ident: self.by_id[ident] += data
page = Texts(); page.feed(open(sys.argv[1]).read())
texts = page.by_id
for ident in ("environment", "commit", "last-result", "plan-summary", "drift", "history"):
    assert ident in texts, f"no #{ident} in the page"
assert "dev" in texts["environment"], texts["environment"]
assert sys.argv[2][:12] in texts["commit"], texts["commit"]
assert "success" in texts["last-result"], texts["last-result"]
assert "#1" in texts["history"] or "1" in texts["history"].split(), texts["history"]
PY

# A broken commit: failures are counted and shown, /healthz stays ok.
printf 'services:\n  web: [\n' >run-config.yaml
commit_and_push "broken"
wait_until 30 log_has "failed:"
wait_until 20 sh -c "curl -s --max-time 5 '$url/metrics' | grep -q '^run_consecutive_failures [1-9]'"
curl -s --max-time 5 "$url/metrics" | grep -q '^run_reconcile_total{result="failure"} [1-9]' || fail "failures are not counted"
[ "$(curl -s --max-time 5 "$url/healthz")" = "ok" ] || fail "/healthz is not ok while ticks fail"
timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --dump-dom "$url/" >"$work/dom.html" 2>/dev/null
grep -q "failure" "$work/dom.html" || fail "the page does not show the failure"
grep -q "run-config.yaml" "$work/dom.html" || fail "the page does not name the broken file"
pass

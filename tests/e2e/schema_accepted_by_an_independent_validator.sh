# schemas/run-config.schema.json is what editors read (the modeline): an independent validator
# (Python's jsonschema, Debian's python3-jsonschema) accepts the demo project, the examples and
# every golden case's configuration, x- extension keys included, as run itself does; and it
# still rejects what run rejects (an unknown key, an extension key where run does not strip it).
source "$(dirname "$0")/lib.sh"
python3 -c "import jsonschema, yaml" 2>/dev/null || fail "python3-jsonschema and python3-yaml are missing (scripts/setup.sh --for-tests installs them)"
python3 - "$RUN_SOURCE_DIR" <<'PY' || fail "the schema and the repository's configurations disagree"
import glob, json, os, sys
import jsonschema, yaml
root = sys.argv[1]
schema = json.load(open(os.path.join(root, "schemas/run-config.schema.json")))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)
files = [os.path.join(root, "run-config.yaml")]
files += sorted(glob.glob(os.path.join(root, "examples/*/run-config.yaml")))
files += sorted(glob.glob(os.path.join(root, "tests/cases/*/run-config.yaml")))
bad = 0
for path in files:
    for error in validator.iter_errors(yaml.safe_load(open(path))):
        bad += 1
        print("%s: %s at %s" % (os.path.relpath(path, root), error.message, list(error.path)), file=sys.stderr)
print("%d configurations validated" % len(files))
demo = yaml.safe_load(open(files[0]))
if not any(key.startswith("x-") for key in demo):
    print("the demo has no x- key: the test no longer shows they are accepted", file=sys.stderr)
    bad += 1
def rejected(document, what):
    global bad
    if not list(validator.iter_errors(document)):
        print("accepted " + what, file=sys.stderr)
        bad += 1
rejected(dict(demo, unknown_key=1), "an unknown top-level key")
broken = json.loads(json.dumps(demo, default=str))
first = next(iter(broken["services"]))
broken["services"][first]["imagee"] = "x"
rejected(broken, "an unknown service key")
broken = json.loads(json.dumps(demo, default=str))
broken["services"][first]["resources"] = {"x-note": 1}
rejected(broken, "an x- key inside resources, where run does not strip it")
sys.exit(1 if bad else 0)
PY
pass

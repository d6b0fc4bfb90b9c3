# Every kind of bad input ends in exit 1 with a message naming the file (and line where
# there is one), in well under a second: never a crash, a hang, or a change.
source "$(dirname "$0")/lib.sh"

# expect_refused NAME MESSAGE: validates the run-config.yaml in the current directory.
expect_refused() {
  local start end
  start=$(date +%s%N)
  run_expect 1 validate
  end=$(date +%s%N)
  stderr_has "run-config.yaml"
  stderr_has "$2"
  [ $(((end - start) / 1000000)) -lt 2000 ] || fail "$1 took $(((end - start) / 1000000)) ms"
  echo "refused: $1 ($(((end - start) / 1000000)) ms)"
}

case_file() { rm -rf run-config.yaml; cat >run-config.yaml; }

printf 'version: "2"\nservices: [unclosed\n' | case_file
expect_refused "malformed YAML" "run-config.yaml:3:1: error: invalid YAML"
: | case_file
expect_refused "empty file" "error: the file is empty"
printf ',' | case_file
expect_refused "only a comma" "run-config.yaml:1:1: error: the file is not a YAML mapping"
printf '# nothing\n' | case_file
expect_refused "only a comment" "error: the file has no content"
printf 'a: 1\n---\nb: 2\n' | case_file
expect_refused "several documents" "the file holds several YAML documents"
printf 'version: "2"\nversion: "2"\n' | case_file
expect_refused "duplicate keys" "run-config.yaml:2:1: error: duplicate key 'version'"
printf 'version: "2"\nproject: e\nservices: {w: {image: x, bogus: 1}}\nenvironments: {dev: {}}\n' | case_file
expect_refused "unknown key" "unknown key 'bogus'"
printf 'version: "2"\nproject: e\nservices: {w: {image: x, replicas: many}}\nenvironments: {dev: {}}\n' | case_file
expect_refused "wrong type" "expected an integer, got string 'many'"
printf 'version: "2"\nproject: e\nservices: {w: {image: "x:${TAG:?set TAG}"}}\nenvironments: {dev: {}}\n' | case_file
expect_refused "missing required variable" "variable TAG is not set: set TAG"
printf 'version: "2"\nproject: e\nservices: {w: {image: "x:${TAG"}}\nenvironments: {dev: {}}\n' | case_file
expect_refused "unterminated \${" "unterminated '\${'"
head -c 17000000 /dev/zero | tr '\0' 'a' | case_file
expect_refused "a file over 16 MiB" "file is too large"
python3 -c 'print("a: " + "[" * 5000 + "]" * 5000)' | case_file
expect_refused "deep nesting" "nesting is deeper than 64 levels"
case_file <<'YAML'
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
YAML
expect_refused "alias bomb" "is this an alias bomb?"
printf 'a: &x [*x]\n' | case_file
expect_refused "cyclic alias" "cyclic alias"
python3 -c 'print("version: \"2\"\nproject: " + "p" * 100000 + "\nservices: {w: {image: " + "i" * 100000 + "}}\nenvironments: {dev: {}}")' | case_file
expect_refused "100,000-character strings" "run-config.yaml:2:10: error: string should be no more than 40 characters"
stderr_has "string should be no more than 1024 characters"
rm -f run-config.yaml && mkdir run-config.yaml
expect_refused "a directory as the config file" "is a directory, not a file"
rmdir run-config.yaml && mkfifo run-config.yaml
expect_refused "a FIFO as the config file" "is not a regular file"
pass

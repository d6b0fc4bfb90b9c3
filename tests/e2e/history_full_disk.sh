# A full disk when an apply starts its deployment record (written before the first change): the
# apply changes nothing and says why (exit 1), the history keeps record #1 intact and git fsck
# finds nothing broken; once there is room again the next apply is recorded as #2, right after #1.
source "$(dirname "$0")/lib.sh"
docker_project
disk=$work/disk
mkdir "$disk"
finish() {
  cd /
  if mountpoint -q "$disk"; then umount "$disk" 2>/dev/null || umount -l "$disk"; fi
  cleanup_project "$project"
  rm -rf "$work"
}
trap finish EXIT

# A small tmpfs is the full disk. Mounting needs root (CAP_SYS_ADMIN): where it is refused for
# want of permission (an unprivileged container), this behaviour cannot be tested on this machine,
# so the script says why and exits 77, "skipped", rather than passing. Any other refusal means the
# machine is broken: a failure.
if ! refused=$(mount -t tmpfs -o size=2m tmpfs "$disk" 2>&1); then
  case "$refused" in
    *"ermission denied"* | *"not permitted"* | *"must be superuser"* | *"only root"*)
      echo "skip: $(basename "$0" .sh) mounts a tmpfs as its full disk, and mount refused: $refused" >&2
      exit 77
      ;;
  esac
  fail "mount -t tmpfs failed, and not for want of permission: $refused"
fi

mkdir "$disk/project"
cd "$disk/project"
git init -q -b main
git config user.name "Ann Example"
git config user.email ann@example.com
config() {
  write run-config.yaml <<YAML
version: "2"
project: $project
services:
  web:
    image: $1
    init: true
    command: ["sleep", "100000"]
environments:
  dev: {}
YAML
}
image_of_web() { docker inspect -f '{{.Config.Image}}' "$project-dev-web-1"; }
subjects() { git log --format=%s refs/run/history/dev; }

config run-demo/busybox:latest
git add -A && git commit -qm "web on busybox"
run_expect 0 apply --auto-approve --progress plain
stdout_has "Recorded as dev #1 (refs/run/history/dev)."
first=$(git rev-parse refs/run/history/dev)
first_subject="dev #1: apply succeeded: 2 to add, 0 to change, 0 to replace, 0 to start, 0 to remove"
[ "$(subjects)" = "$first_subject" ] || fail "record #1: $(subjects)"

# The change is written first: editing the configuration needs room too.
config tsp/app:1.4.3
dd if=/dev/zero of="$disk/filler" bs=64k >/dev/null 2>&1 || true
[ "$(df --output=avail "$disk" | tail -1 | tr -d ' ')" = 0 ] || fail "the disk is not full: $(df "$disk")"
run_expect 1 apply --auto-approve --progress plain
stdout_lacks "Apply complete"
stderr_has "error: nothing was changed: the deployment record could not be written: cannot write"
stderr_has "No space left on device"
stderr_has "hint: refs/run/history/dev was left as it was; free space (or fix permissions) in $disk/project/.git/"
[ "$(image_of_web)" = run-demo/busybox:latest ] || fail "the apply changed the container without a record"
! lock_held "$project" || fail "the lock was left behind"

# The history is as it was, and the repository is sound. Reading needs no room.
[ "$(git rev-parse refs/run/history/dev)" = "$first" ] || fail "the ref moved"
[ "$(subjects)" = "$first_subject" ] || fail "the history changed: $(subjects)"
git fsck --full --strict --no-dangling >"$work/fsck" 2>&1 || fail "git fsck: $(cat "$work/fsck")"
! grep -qiE "broken|missing|corrupt|error|bad" "$work/fsck" || fail "git fsck: $(cat "$work/fsck")"
for file in state.json plan.json result.json; do
  git cat-file -e "refs/run/history/dev:$file" || fail "record #1 lost $file"
done
run_expect 0 history
stdout_has "#1 "
stdout_lacks "#2 "
run_expect 0 show 1
stdout_has "dev #1: apply succeeded"

# With room again, the next change is recorded, as #2, on top of #1.
rm "$disk/filler"
config tsp/app:1.4.2
run_expect 0 apply --auto-approve --progress plain
stdout_has "Recorded as dev #2 (refs/run/history/dev)."
[ "$(subjects)" = "dev #2: apply succeeded: 0 to add, 0 to change, 1 to replace, 0 to start, 0 to remove
$first_subject" ] || fail "the history after #2: $(subjects)"
[ "$(git rev-parse refs/run/history/dev~1)" = "$first" ] || fail "record #2's parent is not record #1"
run_expect 0 history -o json
[ "$(json_field "$work/stdout" "[r['number'] for r in d['records']]")" = "[2, 1]" ] || fail "history is not #2, #1"
git fsck --full --strict --no-dangling >"$work/fsck" 2>&1 || fail "git fsck after #2: $(cat "$work/fsck")"
run_expect 0 plan --detailed-exitcode
pass

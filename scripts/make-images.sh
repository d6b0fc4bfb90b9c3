#!/usr/bin/env bash
# Makes the local images the demo, the tests and the benches use. No registry is reachable,
# so each is `docker import` of a tarball holding Debian's static busybox and its applets.
# Skips what already exists; prints nothing then.
set -euo pipefail

# The demo project's images (run-config.yaml), and the one the tests and examples use.
images=(run-demo/busybox:latest tsp/db:16 tsp/app:1.4.2 tsp/app:1.4.3 tsp/worker:1.4.2 tsp/worker:1.4.3)

missing=()
for image in "${images[@]}"; do
  docker image inspect "$image" >/dev/null 2>&1 || missing+=("$image")
done
[ ${#missing[@]} -eq 0 ] && exit 0

busybox=/bin/busybox
[ -x "$busybox" ] || { echo "make-images: $busybox not found (apt-get install busybox-static)" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/var" "$root/root"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

# Each tag gets its own image id (a file naming it), as real releases would: a plan must
# see tsp/app:1.4.2 and tsp/app:1.4.3 as different images.
for image in "${missing[@]}"; do
  echo "$image" >"$root/etc/run-image"
  tar -C "$root" --owner=0 --group=0 -cf - . |
    docker import --change 'ENV PATH=/bin' --change 'CMD ["sh"]' - "$image" >/dev/null
done
echo "make-images: made ${missing[*]}" >&2

#!/usr/bin/env bash
# Makes the local images the demo, the tests and the benches use. No registry is reachable,
# so each is `docker import` of a root filesystem: Debian's static busybox and its applets for
# the small ones, and Debian's own PostgreSQL 15 packages (mmdebstrap) for the demo's database.
# Skips what already exists; prints nothing then.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# The demo project's images (run-config.yaml), and the one the tests and examples use.
images=(run-demo/busybox:latest tsp/db:16 tsp/app:1.4.2 tsp/app:1.4.3 tsp/worker:1.4.2 tsp/worker:1.4.3)

postgres_image=run-demo/postgres:15
# The PostgreSQL root filesystem is cached as a tarball, keyed by what goes into it, so a new
# daemon (or a pruned one) gets the image back in seconds instead of a minute of downloads.
cache=${RUN_IMAGE_CACHE:-/var/cache/run-images}

make_postgres_image() {
  docker image inspect "$postgres_image" >/dev/null 2>&1 && return 0
  local entrypoint="$here/images/postgres-entrypoint.sh"
  local key
  key=$(cat "$entrypoint" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-12)
  local tarball="$cache/postgres-15-$key.tar"
  if [ ! -s "$tarball" ]; then
    command -v mmdebstrap >/dev/null || { echo "make-images: mmdebstrap not found (apt-get install mmdebstrap)" >&2; exit 1; }
    mkdir -p "$cache"
    rm -f "$cache"/postgres-15-*.tar "$cache/partial.tar"
    echo "make-images: making $postgres_image from Debian's postgresql-15 (about a minute)" >&2
    # The system's own Debian mirror, as apt is configured here.
    local mirror
    mirror=$(grep -rhoE '^(URIs: |deb )https?://[^ ]*/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d 2>/dev/null |
      sed -E 's/^(URIs: |deb )//; s/ $//' | head -n1 || true)
    # Left out: what only installing needs (perl's modules, after the packages' scripts ran)
    # and the JIT (LLVM, 150 MB): a container's first layer is copied whole by the vfs
    # storage driver, so every task run pays for each megabyte of the image.
    mmdebstrap --quiet --variant=apt --include=postgresql-15 \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' \
      --dpkgopt='path-exclude=/usr/lib/*/libLLVM-*' --dpkgopt='path-exclude=/usr/lib/*/libz3.so*' \
      --dpkgopt='path-exclude=/usr/lib/postgresql/*/lib/llvmjit*' \
      --dpkgopt='path-exclude=/usr/lib/postgresql/*/lib/bitcode/*' \
      --essential-hook='mkdir -p "$1/etc/postgresql-common/createcluster.d" && echo "create_main_cluster = false" >"$1/etc/postgresql-common/createcluster.d/run.conf"' \
      --customize-hook='rm -rf "$1/usr/share/perl" "$1/usr/lib/x86_64-linux-gnu/perl"' \
      --customize-hook="upload $entrypoint /usr/local/bin/postgres-entrypoint" \
      --customize-hook='chmod 755 "$1/usr/local/bin/postgres-entrypoint"' \
      --customize-hook='install -d -m 700 "$1/var/lib/postgresql/data" && chroot "$1" chown postgres:postgres /var/lib/postgresql/data' \
      bookworm "$cache/partial.tar" "${mirror:-http://deb.debian.org/debian}"
    mv "$cache/partial.tar" "$tarball"
  fi
  docker import --change 'USER postgres' --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/bin:/bin' \
    --change 'ENV PGDATA=/var/lib/postgresql/data' --change 'CMD ["postgres-entrypoint"]' \
    "$tarball" "$postgres_image" >/dev/null
  echo "make-images: made $postgres_image" >&2
}

make_postgres_image

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

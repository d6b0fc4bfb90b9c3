#!/usr/bin/env bash
# Fetches docker compose v2 (Debian 13 "trixie" packages it as `docker-compose`, a static Go
# binary) without touching the system's apt sources, and prints the binary's path.
#
#   compose=$(bash bench/compose_v2.sh)     # then: "$compose" -p NAME -f FILE up -d
#
# Everything lives under COMPOSE_V2_CACHE (default /var/cache/run-bench/compose-v2): a private
# sources list pointing the system's own Debian mirror at trixie, its package lists, the .deb
# and the unpacked tree. When the binary is already there it does nothing but print its path.
# Needs write access to the cache dir (root for the default) and the Debian archive.
set -euo pipefail

cache=${COMPOSE_V2_CACHE:-/var/cache/run-bench/compose-v2}
binary=$cache/root/usr/libexec/docker/cli-plugins/docker-compose

if [ -x "$binary" ]; then
  echo "$binary"
  exit 0
fi

say() { echo "compose_v2: $*" >&2; }

# The system's own Debian mirror: the first URI of a deb822 or one-line source naming
# .../debian (not debian-security), so the same proxy or snapshot is used.
mirror=$(
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk '
      /^[[:space:]]*URIs:/ { for (i = 2; i <= NF; i++) print $i }
      /^[[:space:]]*deb[[:space:]]/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }
    ' | grep -E '/debian/?$' | head -n 1
) || true
mirror=${mirror:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

mkdir -p "$cache/lists/partial" "$cache/cache/archives/partial" "$cache/deb"
echo "deb [signed-by=$keyring] $mirror trixie main" >"$cache/sources.list"
apt_options=(
  -o "Dir::Etc::SourceList=$cache/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$cache/lists"
  -o "Dir::Cache=$cache/cache"
  -o "APT::Sandbox::User=root"
)

say "fetching docker-compose from $mirror trixie into $cache"
apt-get "${apt_options[@]}" update -qq >&2
(cd "$cache/deb" && rm -f docker-compose_*.deb && apt-get "${apt_options[@]}" download docker-compose >&2)
debs=("$cache"/deb/docker-compose_*.deb)
deb=${debs[0]}
rm -rf "$cache/root.partial"
dpkg-deb -x "$deb" "$cache/root.partial"
[ -x "$cache/root.partial/usr/libexec/docker/cli-plugins/docker-compose" ] ||
  { say "$deb holds no usr/libexec/docker/cli-plugins/docker-compose"; exit 1; }
rm -rf "$cache/root"
mv "$cache/root.partial" "$cache/root"  # whole or not at all: a cut-off run is redone
"$binary" version >&2
echo "$binary"

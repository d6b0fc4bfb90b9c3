#!/usr/bin/env bash
# Makes this machine ready to build, test and demo run (Debian 12, as root): installs the
# missing packages, starts dockerd when none answers, and makes the local images. Idempotent
# and quiet when everything is already there. --for-tests also installs what the test suite
# needs beyond the demo (chromium, curl, python3). Used by scripts/demo.sh and scripts/test.sh.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

packages=(
  cmake ninja-build g++ pkg-config git ca-certificates
  libyaml-cpp-dev libvalijson-dev rapidjson-dev libspdlog-dev libfmt-dev libcli11-dev
  doctest-dev libssl-dev libgit2-dev libcpp-httplib-dev
  docker.io busybox-static mmdebstrap clang-format
)
# The test suite also drives a headless browser (the reconcile status page), curl and python3
# (with jsonschema and yaml: an independent reader of the schema),
# and reaches Docker over ssh:// through an sshd of its own (openssh-server, never started as
# the system's: see install_missing_packages).
if [ "${1:-}" = "--for-tests" ]; then
  packages+=(chromium curl python3 python3-jsonschema python3-yaml openssh-client openssh-server)
fi
# The fuzzing target needs clang's libFuzzer runtime; it only runs where clang is installed.
if command -v clang++ >/dev/null 2>&1; then
  packages+=("libclang-rt-$(clang++ --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -n1)-dev")
fi

install_missing_packages() {
  local missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages: ${missing[*]}; run as root (sudo) to install them" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}" >&2
  apt-get update -qq >/dev/null
  # A package's postinst must not start a service (openssh-server would start an sshd on port
  # 22): policy-rc.d exiting 101 forbids it, for this install only.
  local made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  local code=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || code=$?
  [ -z "$made_policy" ] || rm -f /usr/sbin/policy-rc.d
  return "$code"
}

docker_answers() { timeout 10 docker info >/dev/null 2>&1; }

start_dockerd() {
  docker_answers && return 0
  echo "setup: starting dockerd (vfs storage driver)" >&2
  mkdir -p /var/log
  nohup dockerd --storage-driver=vfs >/var/log/run-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker_answers && return 0
    sleep 1
  done
  echo "setup: dockerd did not answer within 60 s; see /var/log/run-dockerd.log" >&2
  exit 1
}

install_missing_packages
start_dockerd
bash "$here/make-images.sh"

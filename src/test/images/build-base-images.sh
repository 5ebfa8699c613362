#!/usr/bin/env bash
# Builds the small images the container tests run, from files on this machine (no registry can be
# reached): lightd-test/busybox:1 (busybox-static) and lightd-test/bash:1 (bash and its libraries
# beside busybox). Each is labelled with a hash of its inputs and rebuilt only when they change.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../../bin/lib/apt.sh"

if [ ! -x /bin/busybox ]; then
  echo "installing busybox-static from Debian's packages" >&2
  apt_install busybox-static
fi

inputs_hash() { cat "$0" /bin/busybox "$@" | sha256sum | cut -c1-16; }

current_hash() {
  docker image inspect --format '{{ index .Config.Labels "lightd.fixture.hash" }}' "$1" 2>/dev/null || true
}

busybox_rootfs() {
  local root=$1
  mkdir -p "$root/bin" "$root/tmp" "$root/home/container" "$root/etc" "$root/proc" "$root/sys" "$root/dev"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
}

import() {
  local name=$1 root=$2 hash=$3
  tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    --change "LABEL lightd.fixture.hash=$hash" \
    --change 'WORKDIR /home/container' \
    --change 'CMD ["/bin/sh"]' - "$name" >/dev/null
  echo "built $name ($hash)" >&2
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

hash=$(inputs_hash)
if [ "$(current_hash lightd-test/busybox:1)" != "$hash" ]; then
  busybox_rootfs "$work/busybox"
  import lightd-test/busybox:1 "$work/busybox" "$hash"
fi

bash_bin=$(command -v bash)
hash=$(inputs_hash "$bash_bin")
if [ "$(current_hash lightd-test/bash:1)" != "$hash" ]; then
  busybox_rootfs "$work/bash"
  cp "$bash_bin" "$work/bash/bin/bash.real" && mv "$work/bash/bin/bash.real" "$work/bash/bin/bash"
  for lib in $(ldd "$bash_bin" | grep -o '/[^ ]*'); do
    mkdir -p "$work/bash$(dirname "$lib")"
    cp -L "$lib" "$work/bash$lib"
  done
  mkdir -p "$work/bash/usr/bin" && ln -s /bin/bash "$work/bash/usr/bin/bash"
  import lightd-test/bash:1 "$work/bash" "$hash"
fi

#!/usr/bin/env bash
# Prints the path of a Linux 6.12 source tree holding drivers/gpu/drm/amd/{include,amdgpu}.
# Order: $AMDVFIO_KERNEL_TREE (any kernel tree), else the headers extracted once from Debian's
# linux-source-6.12 package (/usr/src/linux-source-6.12.tar.xz) into bindings/target/ (~10 s;
# only the AMD include and amdgpu directories and the SMU message headers, pm/*ppsmc.h). Fails with the install hint when neither exists.
set -euo pipefail
if [[ -n ${AMDVFIO_KERNEL_TREE:-} ]]; then
  [[ -d $AMDVFIO_KERNEL_TREE/drivers/gpu/drm/amd/include ]] \
    || { echo "kernel-tree: AMDVFIO_KERNEL_TREE=$AMDVFIO_KERNEL_TREE has no drivers/gpu/drm/amd/include" >&2; exit 1; }
  echo "$AMDVFIO_KERNEL_TREE"; exit 0
fi
tarball=/usr/src/linux-source-6.12.tar.xz
cache="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/target/linux-source-6.12"
if [[ ! -f $cache/.complete || ! -d $cache/drivers/gpu/drm/amd/pm ]]; then
  [[ -f $tarball ]] || { echo "kernel-tree: $tarball is missing: apt-get install linux-source-6.12 (bookworm-backports; scripts/apt-backports.sh enables it)" >&2; exit 1; }
  mkdir -p "$cache"
  tar -xJf "$tarball" -C "$cache" --strip-components=1 --wildcards \
      'linux-source-6.12/drivers/gpu/drm/amd/include/*' 'linux-source-6.12/drivers/gpu/drm/amd/amdgpu/*.h' \
      'linux-source-6.12/drivers/gpu/drm/amd/pm/*ppsmc.h'
  touch "$cache/.complete"
fi
echo "$cache"

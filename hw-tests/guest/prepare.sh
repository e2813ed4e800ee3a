#!/usr/bin/env bash
# Prepares the QEMU guest of the VM test tier: a stock Debian kernel (only vmlinuz and the
# modules we need) and a busybox initramfs whose /init runs a test program with the real
# vfio-pci driver bound to QEMU's edu device. Idempotent; everything is cached under
# hw-tests/.cache/ (git-ignored; AMDVFIO_GUEST_CACHE moves it). Prints what it did and how long
# each step took.
#
# Usage: hw-tests/guest/prepare.sh            (prints the guest artefact paths at the end)
#        AMDVFIO_KERNEL=6.12 hw-tests/guest/prepare.sh   (6.1: bookworm, the default; 6.12: bookworm-backports,
#                                                        enabled by scripts/apt-backports.sh)
#        AMDVFIO_KERNEL_PKG=linux-image-6.1.0-NN-amd64 hw-tests/guest/prepare.sh   (pin a package)
#
# Outputs (stable names per kernel series, read by amdvfio.hwtests.qemu.GuestImage):
#   .cache/guest/<series>/vmlinuz  .cache/guest/<series>/initramfs.cpio.gz  .cache/guest/<series>/guest.properties
#
# 6.1 and 6.12 differ (measured): on 6.12 fscache is part of netfs (no fs/fscache), vfio_virqfd is
# merged into vfio, virtio is built in, and modules ship as .ko.xz (decompressed here: busybox
# insmod loads them but complains per module).
#
# Guest contract (what /init does; see guest/init):
#   mounts proc, sys, devtmpfs, tmpfs (/tmp); insmods vfio + 9p + virtio modules; binds every
#   1234:11e8 (edu) device to vfio-pci via new_id; mounts 9p tag 'jdk' read-only at /jdk and
#   tag 'work' read-write at /work; runs 'sh /work/run.sh' pinned with 'taskset -c 0' (kernel
#   parameter amdvfio.nopin disables the pinning); prints 'AMDVFIO-GUEST-EXIT rc=<n>', writes
#   the code to /work/results/exit-code and powers off.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${AMDVFIO_GUEST_CACHE:-$(cd "$here/.." && pwd)/.cache}"
install_hint="apt-get install -y qemu-system-x86 busybox-static kmod cpio xz-utils"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
secs() { local ms=$(( $(now_ms) - $1 )); printf '%d.%03d s' $((ms / 1000)) $((ms % 1000)); }
t_all=$(now_ms)
step_start=0
step() { step_start=$(now_ms); printf '[prepare] %s ... ' "$1"; }
done_step() { printf '%s (%s)\n' "$1" "$(secs "$step_start")"; }
die() { echo; echo "[prepare] ERROR: $*" >&2; exit 1; }

# ---- 0. tools ------------------------------------------------------------------------------
missing=()
for tool in apt-get apt-cache dpkg-deb depmod modprobe cpio gzip ldd xz; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
busybox_bin=""
for b in /bin/busybox /usr/bin/busybox; do [[ -x $b ]] && { busybox_bin=$b; break; }; done
if [[ -z $busybox_bin ]] || ! file_out=$(LC_ALL=C ldd "$busybox_bin" 2>&1 || true) || [[ $file_out != *"not a dynamic executable"* ]]; then
  missing+=("static busybox")
fi
if ((${#missing[@]})); then
  die "missing: ${missing[*]}. Install with: $install_hint"
fi

series="${AMDVFIO_KERNEL:-6.1}"
case "$series" in
  6.1) suite_pkg=linux-image-amd64 ;;
  6.12) suite_pkg=linux-image-amd64/bookworm-backports ;;
  *) die "AMDVFIO_KERNEL=$series: expected 6.1 (bookworm) or 6.12 (bookworm-backports)" ;;
esac
out="$cache/guest/$series"
mkdir -p "$cache"/{debs,kernel} "$out"

# ---- 1. kernel package name ----------------------------------------------------------------
step "resolve kernel package"
pkg="${AMDVFIO_KERNEL_PKG:-}"
if [[ -z $pkg ]]; then
  pkg=$(apt-cache depends "$suite_pkg" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -1)
  if [[ -z $pkg ]]; then
    # No apt metadata (apt-get update never ran) but a kernel of this series already cached: use it.
    pkg=$(ls "$cache/kernel" 2>/dev/null | grep "^linux-image-${series}[.-]" | sort -V | tail -1 || true)
    [[ -n $pkg ]] || die "apt-cache does not know $suite_pkg; run 'apt-get update' first (Debian 12 sources$(
      [[ $series == 6.12 ]] && echo ' with bookworm-backports: scripts/apt-backports.sh'))."
  fi
fi
kver="${pkg#linux-image-}"
done_step "$pkg (kernel $kver)"

# ---- 2. download -----------------------------------------------------------------------------
kdir="$cache/kernel/$pkg"
step "download $pkg"
deb=$(ls "$cache/debs/${pkg}_"*.deb 2>/dev/null | head -1 || true)
if [[ -f "$kdir/.complete" ]]; then
  done_step "skipped (kernel already extracted)"
elif [[ -n $deb ]]; then
  done_step "cached $(basename "$deb")"
else
  (cd "$cache/debs" && apt-get download -q "$pkg" >/dev/null 2>"$cache/debs/download.err") \
    || die "apt-get download $pkg failed: $(tail -3 "$cache/debs/download.err")"
  deb=$(ls "$cache/debs/${pkg}_"*.deb | head -1)
  done_step "$(basename "$deb") ($(du -m "$deb" | cut -f1) MB)"
fi

# ---- 3. selective extract + depmod ---------------------------------------------------------
# Only the module directories the guest needs; modprobe --show-depends below proves the set is
# closed (it fails if a dependency is outside these directories).
module_dirs=(drivers/vfio drivers/virtio net/9p fs/9p fs/netfs fs/fscache virt/lib)
want_modules=(vfio-pci vfio_iommu_type1 virtio_pci 9pnet_virtio 9p)
step "extract vmlinuz + modules"
if [[ -f "$kdir/.complete" ]]; then
  done_step "skipped (cached in $kdir)"
else
  rm -rf "$kdir" && mkdir -p "$kdir"
  patterns=("./boot/vmlinuz-$kver" "./lib/modules/$kver/modules.order" "./lib/modules/$kver/modules.builtin"
            "./lib/modules/$kver/modules.builtin.modinfo")
  # only the directories this kernel has (6.12: no fs/fscache)
  listing=$(dpkg-deb --fsys-tarfile "$deb" | tar -t)
  for d in "${module_dirs[@]}"; do
    grep -qx "./lib/modules/$kver/kernel/$d/" <<<"$listing" && patterns+=("./lib/modules/$kver/kernel/$d")
  done
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$kdir" "${patterns[@]}" 2>"$kdir/tar.err" \
    || die "extracting from $deb failed: $(tail -3 "$kdir/tar.err")"
  rm -f "$kdir/tar.err"
  depmod -b "$kdir" "$kver"
  touch "$kdir/.complete"
  done_step "$(du -sm "$kdir" | cut -f1) MB in $kdir"
fi

step "module load order"
order=()
for m in "${want_modules[@]}"; do
  while read -r kind path _; do
    [[ $kind == insmod ]] || continue
    path="${path#"$kdir"}"
    [[ " ${order[*]-} " == *" $path "* ]] || order+=("$path")
  done < <(modprobe -d "$kdir" -S "$kver" --show-depends "$m" 2>&1 || die "modprobe --show-depends $m failed")
done
done_step "${#order[@]} modules: $(for p in "${order[@]}"; do basename "${p%.xz}" .ko; done | tr '\n' ' ')"

# ---- 4. initramfs ----------------------------------------------------------------------------
jdk_libs=(/lib64/ld-linux-x86-64.so.2)
for l in libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libz.so.1 libgcc_s.so.1; do
  for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu; do
    [[ -e $d/$l ]] && { jdk_libs+=("$d/$l"); break; }
  done
done
# Anything else the JDK's core libraries link against (not AWT & co.): resolved by ldd.
if [[ -n ${JAVA_HOME:-} && -d $JAVA_HOME/lib ]]; then
  while read -r lib; do
    [[ " ${jdk_libs[*]} " == *" $lib "* ]] || jdk_libs+=("$lib")
  done < <(ldd "$JAVA_HOME/bin/java" "$JAVA_HOME/lib/server/libjvm.so" "$JAVA_HOME"/lib/lib{java,jli,nio,net,zip,jimage,verify,extnet}.so 2>/dev/null \
           | awk '$2 == "=>" && $3 ~ /^\// && $3 !~ /jvm/ {print $3}' | sort -u)
fi

initrd="$out/initramfs.cpio.gz"
inputs_hash=$( { cat "$here/init"; echo "$kver ${order[*]}"; sha256sum "$busybox_bin";
                 for l in "${jdk_libs[@]}"; do sha256sum "$(readlink -f "$l")"; echo "$l"; done; } | sha256sum | cut -c1-16)
step "initramfs"
if [[ -f $initrd && -f $out/guest.properties ]] && grep -qx "inputs=$inputs_hash" "$out/guest.properties"; then
  done_step "skipped (up to date, inputs $inputs_hash)"
else
  root=$(mktemp -d "$out/root.XXXXXX")
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root"/{bin,sbin,etc/amdvfio,proc,sys,dev,tmp,jdk,work,lib/x86_64-linux-gnu,usr/lib/x86_64-linux-gnu,run}
  ln -s lib "$root/lib64"
  cp "$busybox_bin" "$root/bin/busybox"
  for a in $("$busybox_bin" --list); do
    [[ $a == busybox || -e $root/bin/$a ]] || ln -s busybox "$root/bin/$a"
  done
  for p in "${order[@]}"; do
    mkdir -p "$root/$(dirname "$p")"
    if [[ $p == *.ko.xz ]]; then
      xz -dc "$kdir/$p" > "$root/${p%.xz}"; p="${p%.xz}"
    else
      cp "$kdir/$p" "$root/$p"
    fi
    echo "$p" >> "$root/etc/amdvfio/modules"
  done
  for l in "${jdk_libs[@]}"; do
    dest="$root$l"; [[ $l == /lib64/* ]] && dest="$root/lib/${l#/lib64/}"
    mkdir -p "$(dirname "$dest")"; cp -L "$l" "$dest"
  done
  echo "root:x:0:0:root:/tmp:/bin/sh" > "$root/etc/passwd"
  echo "root:x:0:" > "$root/etc/group"
  install -m 0755 "$here/init" "$root/init"
  (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) > "$initrd.tmp"
  mv "$initrd.tmp" "$initrd"
  cp "$kdir/boot/vmlinuz-$kver" "$out/vmlinuz"
  cat > "$out/guest.properties" <<EOF
kernel.series=$series
kernel.package=$pkg
kernel.version=$kver
vmlinuz=$out/vmlinuz
initramfs=$initrd
modules=$(for p in "${order[@]}"; do basename "${p%.xz}" .ko; done | tr '\n' ' ')
inputs=$inputs_hash
EOF
  rm -rf "$root"; trap - EXIT
  done_step "$(du -k "$initrd" | cut -f1) KiB, ${#jdk_libs[@]} libraries, inputs $inputs_hash"
fi

printf '[prepare] done in %s: %s %s\n' "$(secs "$t_all")" "$out/vmlinuz" "$initrd"

#!/usr/bin/env bash
# Regenerates the FFM bindings of this module with jextract:
#   amdvfio.bindings.vfio     from vfio.h and vfio.args, jextract's output as it is;
#   amdvfio.bindings.amdgpu   from the AMD headers of Linux 6.12, one header class per
#                             amdgpu/<name>.want selection (see amdgpu/select.py);
#   amdvfio.bindings.libc     is NOT overwritten: it stays in jextract's shape but hand-finished
#                             (below); --libc-to <dir> writes jextract's version there to compare.
#
#   bindings/jextract/regen.sh [--jextract <jextract launcher or built module dir>]
#                              [--build-jextract <openjdk/jextract source checkout>]
#                              [--amd-only] [--libc-to <dir>]
#
# jextract: no registry these machines reach ships it, but its public source (openjdk/jextract)
# compiles with plain javac on JDK 25 in seconds and runs on Debian's libclang
# (apt-get install libclang-14-dev); --build-jextract does that into target/jextract.
# The kernel headers: see kernel-tree.sh (AMDVFIO_KERNEL_TREE or Debian's linux-source-6.12).
# CI does not run this script; it proves the checked-in output against gcc instead
# (StructLayoutTest for libc/vfio, AmdHeaderFactsTest for the AMD headers).
#
# Why libc is hand-finished: jextract cannot make these additions (its guide says to add them by
# hand), and the project needs each of them:
#   - Linker.Option.captureCallState("errno") on every errno-setting function;
#   - the int-argument ioctl invoker (ioctl_int) beside the pointer one, both variadic from 2;
#   - the packed struct epoll_event's data read as one unaligned long (C_LONG_UNALIGNED):
#     jextract models it as the union epoll_data, whose u64 member is 8-aligned, so reading it at
#     offset 4 throws, and slicing it on the interrupt path would allocate.
# StructLayoutTest proves libc_h, like vfio_h, against gcc.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/../../scripts/find-jdk.sh"
amdvfio_find_jdk
out="$here/../src/main/java"
libclang=${AMDVFIO_LIBCLANG_DIR:-/usr/lib/llvm-14/lib}
jextract_mod=""
only_amd=false
libc_to=""
while (($#)); do
  case $1 in
    --jextract) jextract_mod=$2; shift 2 ;;
    --build-jextract)
      src=$2; shift 2
      jextract_mod="$here/../target/jextract"
      rm -rf "$jextract_mod"; mkdir -p "$jextract_mod"
      find "$src/src/main/java" -name '*.java' > "$jextract_mod.files"
      "$JAVA_HOME/bin/javac" -d "$jextract_mod" --release 25 "@$jextract_mod.files"
      cp -r "$src/src/main/resources/." "$jextract_mod/"
      echo "regen: built jextract from $src ($(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo 'no git')) into $jextract_mod" ;;
    --amd-only) only_amd=true; shift ;;
    --libc-to) libc_to=$2; shift 2 ;;
    *) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
[[ -n $jextract_mod ]] || jextract_mod="$here/../target/jextract"
[[ -f $jextract_mod/module-info.class || -x $jextract_mod ]] \
  || { echo "regen: no jextract (give --jextract <dir> or --build-jextract <source checkout>)" >&2; exit 2; }
[[ -f $libclang/libclang.so ]] || { echo "regen: $libclang/libclang.so missing: apt-get install libclang-14-dev" >&2; exit 2; }

jextract() {
  if [[ -x $jextract_mod && ! -d $jextract_mod ]]; then "$jextract_mod" "$@"; return; fi
  "$JAVA_HOME/bin/java" --enable-native-access=org.openjdk.jextract -Djava.library.path="$libclang" \
    -p "$jextract_mod" -m org.openjdk.jextract/org.openjdk.jextract.JextractTool "$@"
}

if ! $only_amd; then
  rm -f "$out"/amdvfio/bindings/vfio/*.java
  jextract --output "$out" @"$here/vfio.args" "$here/vfio.h"
fi
if [[ -n $libc_to ]]; then
  jextract --output "$libc_to" @"$here/libc.args" "$here/libc.h"
fi

tree=$("$here/kernel-tree.sh")
amd="$tree/drivers/gpu/drm/amd"
rm -f "$out"/amdvfio/bindings/amdgpu/*.java
for want in "$here"/amdgpu/*.want; do
  python3 "$here/amdgpu/select.py" "$amd" "$want"
  name=$(basename "$want" .want)
  jextract -I "$amd" --output "$out" @"$here/amdgpu/$name.args" "$here/amdgpu/$name.h"
done
echo "regen: regenerated into $out$($only_amd && echo ' (AMD headers only)')"

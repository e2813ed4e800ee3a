#!/usr/bin/env bash
# Regenerates every FFM binding of this module with jextract:
#   amdvfio.bindings.libc, amdvfio.bindings.vfio   from libc.h / vfio.h and their .args lists;
#   amdvfio.bindings.amdgpu                        from the AMD headers of Linux 6.12, one header
#                                                  class per amdgpu/<name>.want selection.
#
#   bindings/jextract/regen.sh [--jextract <jextract launcher or built module dir>]
#                              [--build-jextract <openjdk/jextract source checkout>]
#
# jextract: no registry these machines reach ships it, but its public source (openjdk/jextract)
# compiles with plain javac on JDK 25 in seconds and runs on Debian's libclang
# (apt-get install libclang-14-dev); --build-jextract does that into target/jextract.
# The kernel headers: see kernel-tree.sh (AMDVFIO_KERNEL_TREE or Debian's linux-source-6.12).
# CI does not run this script; it proves the checked-in output against gcc instead
# (StructLayoutTest for libc/vfio, AmdHeaderFactsTest for the AMD headers).
#
# jextract cannot make these additions to libc_h/vfio_h; after a libc/vfio regeneration re-apply
# them (its guide says to add them by hand), then run ./run-tests -pl bindings:
#   - Linker.Option.captureCallState("errno") on every errno-setting function;
#   - the int-argument ioctl invoker (ioctl_int) beside the pointer one, both variadic from 2;
#   - ioctl numbers: jextract does not expand _IO(...) macros; the written-out values in vfio_h
#     are checked against the C compiler by StructLayoutTest;
#   - C_LONG_UNALIGNED for the packed struct epoll_event.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/../../scripts/find-jdk.sh"
amdvfio_find_jdk
out="$here/../src/main/java"
libclang=${AMDVFIO_LIBCLANG_DIR:-/usr/lib/llvm-14/lib}
jextract_mod=""
only_amd=false
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
    *) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
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
  jextract --output "$out" @"$here/libc.args" "$here/libc.h"
  jextract --output "$out" @"$here/vfio.args" "$here/vfio.h"
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

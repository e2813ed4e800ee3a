#!/usr/bin/env bash
# Regenerates bindings/src/main/java/amdvfio/bindings/{libc,vfio} with jextract
# (https://jdk.java.net/jextract/, for JDK 25). jextract is not installable on this project's
# machines: no registry they reach ships it (not Maven Central, not Debian, not npm), so the
# committed sources were written by hand in jextract's output shape, and StructLayoutTest
# proves them against gcc. Where jextract is installed:
#
#   bindings/jextract/regen.sh [path/to/jextract]
#
# After regenerating, re-apply the hand additions jextract cannot make (its guide says to add
# them by hand), then run ./run-tests -pl bindings:
#   - Linker.Option.captureCallState("errno") on every errno-setting function, with the
#     call-state segment as the first parameter, and libc_h.errno()/allocateCallState();
#   - the int-argument ioctl invoker (ioctl_int) beside the pointer one, both variadic from 2;
#   - ioctl numbers: jextract does not expand _IO(...) macros; keep the written-out values in
#     vfio_h (StructLayoutTest checks each against the C compiler);
#   - C_LONG_UNALIGNED for the packed struct epoll_event.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jextract="${1:-$(command -v jextract || true)}"
if [[ -z "$jextract" || ! -x "$jextract" ]]; then
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
  echo "regen.sh: jextract not found (give its path as the first argument)." >&2
  exit 2
fi
out="$here/../src/main/java"
"$jextract" --output "$out" @"$here/libc.args" "$here/libc.h"
"$jextract" --output "$out" @"$here/vfio.args" "$here/vfio.h"
echo "regenerated into $out; now re-apply the hand additions listed at the top of this script."

#!/usr/bin/env bash
# Enables Debian's bookworm-backports suite with the main and non-free-firmware components, by
# copying the URIs of the Debian entry already configured on this machine (no host is named
# here). linux-source-6.12 (the AMD headers the bindings are proven against) and
# firmware-amd-graphics (the cold boot's firmware files) come from there.
# Idempotent; prints what it did. Needs root.
set -euo pipefail
out=/etc/apt/sources.list.d/amdvfio-backports.sources
if [[ -f $out ]]; then
  echo "apt-backports: $out already present"
  exit 0
fi
uri=""
for f in /etc/apt/sources.list.d/*.sources; do
  [[ -f $f ]] || continue
  # the deb822 stanza whose Suites include bookworm (not -security)
  uri=$(awk 'BEGIN{RS=""} /Suites:[^\n]*bookworm( |$|\n|-updates)/ && !/security/ {
          if (match($0, /URIs:[ \t]*[^ \t\n]+/)) { s=substr($0, RSTART, RLENGTH); sub(/URIs:[ \t]*/, "", s); print s; exit } }' "$f")
  [[ -n $uri ]] && break
done
if [[ -z $uri && -f /etc/apt/sources.list ]]; then
  uri=$(awk '$1=="deb" && $3 ~ /^bookworm(-updates)?$/ { print $2; exit }' /etc/apt/sources.list)
fi
if [[ -z $uri ]]; then
  echo "apt-backports: no Debian bookworm entry found to copy; add bookworm-backports (main non-free-firmware) by hand" >&2
  exit 1
fi
cat > "$out" <<SRC
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
echo "apt-backports: wrote $out (bookworm-backports main non-free-firmware, URIs copied from the existing Debian entry)"

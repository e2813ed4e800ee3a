#!/usr/bin/env bash
# Sourced by ./amdvfio, ./run-tests and .ci/run: sets JAVA_HOME to a JDK 25 or newer.
# Order: $JAVA_HOME if it is 25+, then the usual install locations. Fails with one line
# that says what to install.

amdvfio_java_major() { # prints the feature version of the JDK at $1, or nothing
  local release="$1/release" v
  [[ -x "$1/bin/java" && -f "$release" ]] || return 0
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  echo "$v"
}

amdvfio_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" \
      /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 \
      /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-25-openjdk-arm64 \
      /usr/lib/jvm/jdk-25* /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/java-2[5-9]-openjdk* \
      /usr/lib/jvm/java-[3-9][0-9]-openjdk* /opt/java/openjdk /opt/jdk-2[5-9]*; do
    [[ -n "$candidate" && -d "$candidate" ]] || continue
    major=$(amdvfio_java_major "$candidate")
    if [[ -n "$major" && "$major" -ge 25 ]]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "amdvfio: no JDK 25 or newer found (JAVA_HOME=${JAVA_HOME:-unset}); install one, e.g. 'apt-get install temurin-25-jdk', or point JAVA_HOME at it." >&2
  return 1
}

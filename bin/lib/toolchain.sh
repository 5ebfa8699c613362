# Sourced by bin/ scripts: selects JDK 25 (the default java here is 17) and makes sure Maven is there.
lightd_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$lightd_root/bin/lib/apt.sh"

find_jdk25() {
  local candidate
  for candidate in "${LIGHTD_JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*-25-* /usr/lib/jvm/jdk-25*; do
    # the image's release file names its version; starting a JVM to ask would cost ~0.1 s per command
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] \
        && grep -q '^JAVA_VERSION="25' "$candidate/release" 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! JAVA_HOME="$(find_jdk25)"; then
  echo "lightd: JDK 25 not found (looked in \$LIGHTD_JAVA_HOME and /usr/lib/jvm); install Temurin 25" >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.8 bundles a Guava that warns about sun.misc.Unsafe on JDK 25; the warning is noise.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"

ensure_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "lightd: installing Maven from Debian's packages" >&2
    apt_install maven
  fi
}

# Maven 3.8 prints bare colour resets even in quiet batch mode: a filter for its output.
strip_colour() { sed -u 's/\x1b\[0m//g'; }

# Builds target/lightd.jar when it is missing or older than a source file.
ensure_jar() {
  local jar="$lightd_root/target/lightd.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$lightd_root/src/main" "$lightd_root/pom.xml" -newer "$jar" -print -quit)" ]; then
    ensure_maven
    echo "lightd: building $jar" >&2
    (set -o pipefail; cd "$lightd_root" && mvn -B -q -DskipTests package 2>&1 | strip_colour) >&2
  fi
}

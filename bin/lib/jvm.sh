# Sourced by bin/lightd and bench/: how the daemon's JVM runs (docs/performance.md has the numbers).
# - SerialGC: one GC thread and the smallest GC structures; pauses on a ~20 MB live heap are a few ms.
# - The heap starts at 8 MB and gives memory back after a collection once more than 30% is free
#   (live data is 10-20 MB; the default would start at 1/64 of the RAM and keep what it ever used).
# - TrimNativeHeapInterval hands glibc's freed memory (mostly the JIT compilers' work areas after
#   start-up, about 30 MB) back to the system every 5 s.
# - Thread stacks of 512 KiB: request handlers run on virtual threads, the few platform threads are shallow.
# - The heap is capped (LIGHTD_HEAP_MAX, 768m): without a cap a burst of large request bodies grew it
#   to 1.9 GB (the default cap here is a quarter of the RAM), kept until a full collection; live data
#   after 10,000 adversarial requests was about 130 MB. 512m was too little for 100 console clients
#   of one flooding container (the bench): the collector ran without end and the clients starved.
lightd_jvm_flags=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xss512k "-Xmx${LIGHTD_HEAP_MAX:-768m}"
  -Xms8m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps -XX:TrimNativeHeapInterval=5000)

# Makes the JVM's ahead-of-time cache for a jar (once; JDK 25, JEP 483/514): a training run loads
# and links the classes a start needs and writes them to <jar minus .jar>.aot. A start with
# -XX:AOTCache then skips most class loading and linking. The cache names the jar's path, size and
# time, so it belongs to that one file. Prints the cache's path; prints nothing when it cannot be made
# (the daemon then starts without it, only slower).
ensure_aot() {
  local jar="$1" aot="${1%.jar}.aot" work log sqlite
  mapfile -t sqlite < <(sqlite_flags "$jar")
  if [ ! -f "$aot" ]; then
    echo "lightd: making the start-up cache for this build (once, about 20-60 s)" >&2
    work="$(mktemp -d /tmp/lightd-train-XXXXXX)"
    log="$work.log"
    if "$JAVA_HOME/bin/java" "${lightd_jvm_flags[@]}" "${sqlite[@]}" -jar "$jar" train --prepare --data "$work" >"$log" 2>&1 \
        && "$JAVA_HOME/bin/java" "${lightd_jvm_flags[@]}" "${sqlite[@]}" -XX:AOTCacheOutput="$aot.tmp" \
             -jar "$jar" train --data "$work" >>"$log" 2>&1 \
        && [ -f "$aot.tmp" ]; then
      mv "$aot.tmp" "$aot"
    else
      echo "lightd: could not make the start-up cache (starting without it):" >&2
      tail -5 "$log" >&2
      rm -f "$aot.tmp"
    fi
    rm -rf "$work" "$log"
  fi
  if [ -f "$aot" ]; then echo "$aot"; fi
}

# sqlite-jdbc copies its native library out of the jar at every start and then compares the copy
# with the jar's byte by byte, before the JIT has compiled anything: a fifth of the main thread's
# start-up. Copied once per jar here, next to it, and named to sqlite-jdbc with its own properties.
# Prints the flags; nothing when this machine's library is not in the jar (sqlite-jdbc then does it).
sqlite_flags() {
  local jar="$1" dir="${1%.jar}-native" arch
  case "$(uname -m)" in
    x86_64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) return 0 ;;
  esac
  if [ ! -f "$dir/libsqlitejdbc.so" ]; then
    rm -rf "$dir.tmp"
    mkdir -p "$dir.tmp"
    (cd "$dir.tmp" && "$JAVA_HOME/bin/jar" xf "$jar" "org/sqlite/native/Linux/$arch/libsqlitejdbc.so") || true
    if [ -f "$dir.tmp/org/sqlite/native/Linux/$arch/libsqlitejdbc.so" ]; then
      mkdir -p "$dir"
      mv "$dir.tmp/org/sqlite/native/Linux/$arch/libsqlitejdbc.so" "$dir/libsqlitejdbc.so"
    fi
    rm -rf "$dir.tmp"
  fi
  if [ -f "$dir/libsqlitejdbc.so" ]; then
    echo "-Dorg.sqlite.lib.path=$dir"
    echo "-Dorg.sqlite.lib.name=libsqlitejdbc.so"
  fi
}

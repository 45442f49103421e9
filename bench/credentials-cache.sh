#!/usr/bin/env bash
# Start-to-exit time of the cached `stint credentials` path (what AWS tools pay at every process
# start), as the median of N runs, next to `cat` of the same cache file as the floor.
# Usage: bench/credentials-cache.sh [RUNS]   (make bench-cli)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
[ -f target/stint.jar ] || { echo "run 'make build' first" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
server=http://127.0.0.1:9   # nothing listens there: a cache miss would fail loudly
# The cache file name escapes server and profile (see dev.stint.cli.CredentialCache.file).
mkdir -p -m 700 "$tmp/stint/aws"
file="$tmp/stint/aws/http_003a_002f_002f127.0.0.1_003a9__bench.json"
expiration=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
printf '{"Version":1,"AccessKeyId":"ASIABENCH","SecretAccessKey":"s","SessionToken":"t","Expiration":"%s"}' \
  "$expiration" > "$file"
chmod 600 "$file"

median_ms() { # command...
  local times=() i start end
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    "$@" > /dev/null 2>&1
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

# Start-up times differ more between this workplace's hosts than between builds: say which host.
model=$(sed -n '/^model name/{s/^[^:]*:[[:space:]]*//;p;q}' /proc/cpuinfo 2>/dev/null || true)
echo "machine: ${model:-$(uname -m)}, $(nproc) cores, $(uname -sr)"
export XDG_CACHE_HOME=$tmp STINT_SERVER=$server
bin/stint credentials bench > /dev/null || { echo "the cached path missed the cache" >&2; exit 1; }
echo "cached 'bin/stint credentials': $(median_ms bin/stint credentials bench) ms (median of $runs)"
java_bin=java
[ -n "${JAVA_HOME:-}" ] && java_bin="$JAVA_HOME/bin/java"
echo "JVM floor ('java -version'):    $(median_ms "$java_bin" -version 2>/dev/null) ms (median of $runs)"
echo "'cat' of the cache file:        $(median_ms cat "$file") ms (median of $runs)"

# The same path with the JVM's class-loading work done ahead of time: an AppCDS archive
# (JDK 13+) recorded from one run, and on JDK 25 an AOT cache (JEP 483/514). Both are plain
# JVM options, passed through STINT_JAVA_OPTS (bin/stint).
version=$("$java_bin" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -c ArchiveClassesAtExit || true)
if [ "$version" -gt 0 ]; then
  STINT_JAVA_OPTS="-XX:ArchiveClassesAtExit=$tmp/app.jsa" bin/stint credentials bench > /dev/null 2>&1
  export STINT_JAVA_OPTS="-XX:SharedArchiveFile=$tmp/app.jsa -Xshare:auto"
  echo "cached, with an AppCDS archive:  $(median_ms bin/stint credentials bench) ms (median of $runs)"
  unset STINT_JAVA_OPTS
fi
jdk25=${STINT_BENCH_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ -x "$jdk25/bin/java" ]; then
  JAVA_HOME=$jdk25 STINT_JAVA_OPTS="-XX:AOTCacheOutput=$tmp/app.aot" \
    bin/stint credentials bench > /dev/null 2>&1
  echo "JDK 25, no cache:               $(JAVA_HOME=$jdk25 median_ms bin/stint credentials bench) ms (median of $runs)"
  echo "JDK 25 with an AOT cache:       $(JAVA_HOME=$jdk25 STINT_JAVA_OPTS="-XX:AOTCache=$tmp/app.aot" \
    median_ms bin/stint credentials bench) ms (median of $runs)"
fi

#!/usr/bin/env bash
# Start-to-exit time of the cached `stint credentials` path (what AWS tools pay at every process
# start), as the median of N runs, beside `cat` of the same cache file (the floor) and a bare
# `java -version` (what any JVM costs), measured interleaved in one run: ratios from one run on
# one host are comparable, absolute figures across hosts are not.
# Usage: bench/credentials-cache.sh [RUNS]   (make bench-cli)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-40}
[ -f target/stint.jar ] || { echo "run 'make build' first" >&2; exit 1; }
[ -x target/stint-cached ] || echo "note: target/stint-cached is not built (no C compiler):" \
  "the launcher row measures the JVM path" >&2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
server=http://127.0.0.1:9   # nothing listens there: a cache miss would fail loudly
# The cache file name escapes server and profile (see dev.stint.cli.credentials.CredentialCache.file).
mkdir -p -m 700 "$tmp/stint/aws"
file="$tmp/stint/aws/http_003a_002f_002f127.0.0.1_003a9__bench.json"
expiration=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
# An entry is served only to its owner, the person `stint login` marks in login.owner. It ends
# with a newline, as the entries stint writes do.
owner=sha256:$(printf '%064d' 0)
# checked_until: served without asking the server until then (the bench measures the cached path).
printf '{"Version":1,"AccessKeyId":"ASIABENCH","SecretAccessKey":"s","SessionToken":"t","Expiration":"%s","owner":"%s","checked_until":"%s"}\n' \
  "$expiration" "$owner" "$expiration" > "$file"
chmod 600 "$file"
mkdir -p -m 700 "$tmp/config/stint"
(umask 077 && printf '%s' "$owner" > "$tmp/config/stint/login.owner")
unset STINT_TOKEN
export XDG_CACHE_HOME=$tmp XDG_CONFIG_HOME=$tmp/config STINT_SERVER=$server
java_bin=java
[ -n "${JAVA_HOME:-}" ] && java_bin="$JAVA_HOME/bin/java"

# Each case is a command line; the runs are interleaved (one of each per round) so that a noisy
# neighbour slows every case alike. Timing uses bash's clock variable, not a `date` process.
names=(cat launcher jvm-cached java-version)
commands=(
  "cat $file"
  "bin/stint credentials bench"
  "$java_bin -XX:TieredStopAtLevel=1 -jar target/stint.jar credentials bench"
  "$java_bin -version")
for c in "${commands[@]}"; do
  $c > /dev/null 2>&1 || { echo "failed: $c" >&2; exit 1; }
done
# Byte for byte: $(...) would drop the final newline from both sides.
bin/stint credentials bench | cmp -s - "$file" \
  || { echo "the launcher's answer differs from the cache file" >&2; exit 1; }
# shellcheck source=bench/interleaved.sh
. bench/interleaved.sh
time_interleaved "$runs"
host_line "$runs"
cat_us=$(median_us "${samples[0]}")
labels=("'cat' of the cache file" "cached 'bin/stint credentials'" "cached, through the JVM" "'java -version'")
for i in "${!commands[@]}"; do
  us=$(median_us "${samples[$i]}")
  awk -v l="${labels[$i]}" -v us="$us" -v c="$cat_us" -v n="${names[$i]}" \
    'BEGIN {printf "%-32s %8.2f ms  %6.1fx cat  (%s)\n", l, us / 1000, us / c, n}'
done
awk -v a="$(median_us "${samples[1]}")" -v j="$(median_us "${samples[3]}")" -v c="$cat_us" \
  'BEGIN {printf "cached launcher: %.1fx cat, %.2fx java -version (target: at most 3x cat)\n", a / c, a / j}'

#!/usr/bin/env bash
# Start-to-exit time of each JVM command of the installed CLI (the linux-x64 CLI package of
# `make dist`, unpacked here, with the class-data archive its first run records), beside a bare
# `java -version` of the same runtime, medians of N interleaved runs against a running demo
# (`stint demo`: a real server, the dev IdP and the AWS stand-ins). Ratios from one run on one
# host are comparable; absolute figures are this host's. Target: every command at most 4x
# `java -version`.
# Usage: bench/cli-commands.sh [RUNS]   (make bench-cli)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
version=$(sed -n 's/^version=//p' target/classes/dev/stint/version.properties)
package="target/dist/stint-cli-$version-linux-x64.tar.gz"
[ -f "$package" ] || { echo "run 'make dist' first ($package is missing)" >&2; exit 1; }
command -v curl > /dev/null || { echo "curl is needed to fetch the demo's tokens" >&2; exit 1; }

tmp=$(mktemp -d)
demo_pid=""
cleanup() {
  if [ -n "$demo_pid" ]; then kill "$demo_pid" 2> /dev/null || true; wait "$demo_pid" 2> /dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
tar -C "$tmp" -xzf "$package"
stint="$tmp/stint-cli-$version/bin/stint"
java_bin="$tmp/stint-cli-$version/runtime/bin/java"

# The demo on a free port; its walkthrough names the server and the dev IdP.
bin/stint demo --port 0 > "$tmp/demo.log" 2>&1 &
demo_pid=$!
for _ in $(seq 1 120); do
  grep -q 'export STINT_SERVER=' "$tmp/demo.log" && break
  kill -0 "$demo_pid" 2> /dev/null || { cat "$tmp/demo.log" >&2; exit 1; }
  sleep 1
done
server=$(sed -n 's/.*export STINT_SERVER=\([^ ]*\).*/\1/p' "$tmp/demo.log" | sed -n 1p)
idp=$(sed -n 's/.*dev IdP *\(http[^ ]*\).*/\1/p' "$tmp/demo.log" | sed -n 1p)
[ -n "$server" ] && [ -n "$idp" ] || { cat "$tmp/demo.log" >&2; exit 1; }
token() { curl -fsS "$idp/dev/token?user=$1"; }
alice=$(token alice) bob=$(token bob) carol=$(token carol)
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" STINT_SERVER="$server"
mkdir -p "$HOME"
as() { local t=$1; shift; STINT_TOKEN=$t "$stint" "$@"; }

# alice's grant of demo-admin, approved by bob and carol, so that credentials and console mint.
id=$(as "$alice" request demo-admin --reason "bench-cli" --duration 1h --output json \
  | sed -n 's/.*"id" *: *"\(req_[a-z2-7]*\)".*/\1/p' | sed -n 1p)
[ -n "$id" ] || { echo "the request was not made" >&2; exit 1; }
as "$bob" approve "$id" > /dev/null
as "$carol" approve "$id" > /dev/null

names=(java-version version help whoami profiles requests show credentials console policy-check)
commands=(
  "$java_bin -version"
  "$stint --version"
  "$stint --help"
  "$stint whoami"
  "$stint profiles"
  "$stint requests"
  "$stint show $id"
  "$stint credentials demo-admin --refresh"
  "$stint console demo-admin"
  "$stint policy check policies/demo")
export STINT_TOKEN=$alice
# The first run records the class-data archive; each command must work before it is timed.
for c in "${commands[@]}"; do
  $c > /dev/null 2>&1 || { echo "failed: $c" >&2; $c >&2 || true; exit 1; }
done
[ -s "$tmp/stint-cli-$version/app/stint.jsa" ] || { echo "no class-data archive was recorded" >&2; exit 1; }

# shellcheck source=bench/interleaved.sh
. bench/interleaved.sh
time_interleaved "$runs"
host_line "$runs"
base=$(median_us "${samples[0]}")
worst=0
for i in "${!commands[@]}"; do
  us=$(median_us "${samples[$i]}")
  awk -v n="${names[$i]}" -v us="$us" -v b="$base" \
    'BEGIN {printf "%-14s %8.1f ms  %5.2fx java -version\n", n, us / 1000, us / b}'
  [ "$i" -gt 0 ] && [ "$us" -gt "$worst" ] && worst=$us
done
awk -v w="$worst" -v b="$base" \
  'BEGIN {printf "slowest command: %.2fx java -version (target: at most 4x)\n", w / b}'

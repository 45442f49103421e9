#!/usr/bin/env bash
# Checks what `make dist` built, as installed on a machine without Java: unpacks the tarball and
# the Debian package (dpkg-deb -x) into a temporary directory and runs, with nothing but a few
# shell tools on the PATH, `stint --version` (the bundled runtime), a cached
# `stint credentials` (stint-cached, no JVM at all) and a credentials miss (the bundled runtime
# running the full CLI). CI runs it after the test suite (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version=//p' target/classes/dev/stint/version.properties)
tarball="target/dist/stint-$version-linux-x64.tar.gz"
deb="target/dist/stint_${version//-/\~}_amd64.deb"
[ -f "$tarball" ] && [ -f "$deb" ] || { echo "check-dist: run 'make dist' first" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The build host has a JDK in /usr/bin, so PATH=/usr/bin:/bin would find it: the checks run with
# a PATH holding only the tools the launcher may call.
tools="$tmp/tools"
mkdir -p "$tools" "$tmp/home"
for tool in sh readlink mv rm; do
  ln -s "$(command -v "$tool")" "$tools/$tool"
done
server=http://127.0.0.1:9 # nothing listens: only the cache or a clear refusal can answer
run() { # [NAME=VALUE...] command...
  env -i PATH="$tools" HOME="$tmp/home" XDG_CACHE_HOME="$tmp/cache" \
    XDG_CONFIG_HOME="$tmp/config" STINT_SERVER="$server" "$@"
}
if run sh -c 'command -v java' > /dev/null; then
  echo "check-dist: java is on the check's PATH" >&2
  exit 1
fi

# A cache entry as stint writes it (see dev.stint.cli.CredentialCache), and the marker of its
# owner as `stint login` leaves it (dev.stint.cli.LoginMarker): only then is it served.
mkdir -p -m 700 "$tmp/cache/stint/aws" "$tmp/config/stint"
owner=sha256:$(printf '%064d' 0)
entry="$tmp/cache/stint/aws/http_003a_002f_002f127.0.0.1_003a9__dist-check.json"
printf '{"Version":1,"AccessKeyId":"ASIADIST","SecretAccessKey":"s","SessionToken":"t","Expiration":"%s","owner":"%s"}' \
  "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)" "$owner" > "$entry"
chmod 600 "$entry"
printf '%s' "$owner" > "$tmp/config/stint/login.owner"
chmod 600 "$tmp/config/stint/login.owner"

fail() {
  echo "check-dist: $*" >&2
  exit 1
}

check() { # what, the stint command to run, the install's root
  local what=$1 stint=$2 root=$3 out code
  out=$(run "$stint" --version) || fail "$what: stint --version failed"
  case "$out" in
    "stint $version (commit "*", built "*")") ;;
    *) fail "$what: stint --version printed '$out'" ;;
  esac
  # With an option the JVM refuses to start with, the cached answer must still come: no JVM.
  out=$(run STINT_JAVA_OPTS=-XX:+NoSuchOptionSoAJvmFails "$stint" credentials dist-check) \
    || fail "$what: the cached credentials were not served without a JVM"
  [ "$out" = "$(cat "$entry")" ] || fail "$what: the cached credentials differ from the cache file"
  run STINT_JAVA_OPTS=-XX:+NoSuchOptionSoAJvmFails "$stint" --version > /dev/null 2>&1 \
    && fail "$what: the JVM started with an unknown option, so the check above proves nothing"
  code=0
  out=$(run "$stint" credentials not-cached 2>&1) || code=$?
  [ "$code" -eq 3 ] && [[ $out == *"not logged in"* ]] \
    || fail "$what: a cache miss should reach the bundled runtime's CLI (exit $code: $out)"
  # The first JVM run recorded the class-data archive for where it is installed; later runs map
  # the CLI's classes from it.
  [ -s "$root/app/stint.jsa" ] || fail "$what: no class-data archive was recorded at the first run"
  out=$(run STINT_JAVA_OPTS=-Xlog:class+load=info:stderr "$stint" --version 2>&1 >/dev/null)
  [[ $out == *"dev.stint.app.Main source: shared objects file (top)"* ]] \
    || fail "$what: the CLI's classes do not come from the class-data archive"
  echo "check-dist: $what: --version, cached credentials without a JVM, a miss through the bundled runtime, class-data archive: ok"
}

mkdir "$tmp/tar"
tar -C "$tmp/tar" -xzf "$tarball"
check "tarball" "$tmp/tar/stint-$version/bin/stint" "$tmp/tar/stint-$version"
# Installed the way the README says for the tarball: a symlink on the PATH.
ln -s "$tmp/tar/stint-$version/bin/stint" "$tools/stint"
check "tarball via a symlink on PATH" stint "$tmp/tar/stint-$version"
rm "$tools/stint"
for f in completion/stint.bash completion/_stint completion/stint.fish libexec/stint-cached runtime/bin/java; do
  [ -s "$tmp/tar/stint-$version/$f" ] || fail "tarball: $f is missing"
done

dpkg-deb -x "$deb" "$tmp/deb"
launcher="$tmp/deb/usr/bin/stint"
grep -qx 'root=/opt/stint' "$launcher" || fail "deb: /usr/bin/stint does not name /opt/stint"
# Run the package's own launcher against where it was unpacked instead of /opt/stint.
sed "s|^root=/opt/stint\$|root=$tmp/deb/opt/stint|" "$launcher" > "$tmp/deb-stint"
chmod 755 "$tmp/deb-stint"
[ -x "$tmp/deb/DEBIAN/postinst" ] 2> /dev/null || dpkg-deb -e "$deb" "$tmp/deb/DEBIAN"
grep -q 'stint --version' "$tmp/deb/DEBIAN/postinst" || fail "deb: postinst does not record the archive"
check "deb" "$tmp/deb-stint" "$tmp/deb/opt/stint"
for f in usr/share/bash-completion/completions/stint usr/share/zsh/vendor-completions/_stint \
  usr/share/fish/vendor_completions.d/stint.fish; do
  [ -s "$tmp/deb/$f" ] || fail "deb: /$f is missing"
done
dpkg-deb -f "$deb" Package Version Architecture | sed 's/^/check-dist: deb /'

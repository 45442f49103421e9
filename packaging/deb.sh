#!/usr/bin/env bash
# The Debian package of the self-contained server and CLI (packaging/dist.sh stages it):
# /opt/stint, /usr/bin/stint (the launcher with its directory written in, so no symlink has to be
# resolved at each start), and the completions where bash-completion, zsh and fish look for them.
# Usage: packaging/deb.sh STAGE VERSION OUT
set -euo pipefail
cd "$(dirname "$0")/.."
stage=$1 version=$2 out=$3
# dpkg wants '~' before a pre-release suffix so that it sorts earlier.
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
cat > "$pkg/DEBIAN/control" <<CONTROL
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
CONTROL
cat > "$pkg/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
# Records the class-data archive of the CLI for this install's path (bin/stint).
rm -f /opt/stint/app/stint.jsa
/usr/bin/stint --record-class-data || true
POSTINST
cat > "$pkg/DEBIAN/prerm" <<'PRERM'
#!/bin/sh
set -e
# Not one of the package's files: dpkg would leave it (and its directory) behind.
rm -f /opt/stint/app/stint.jsa
PRERM
chmod 755 "$pkg/DEBIAN/postinst" "$pkg/DEBIAN/prerm"
deb="$out/stint_${deb_version}_amd64.deb"
dpkg-deb --root-owner-group -Zgzip --build "$pkg" "$deb" > /dev/null
rm -rf "$pkg"
echo "dist: $deb ($(du -h "$deb" | cut -f1))"

#!/usr/bin/env bash
# Writes the Homebrew formula and the Scoop manifest for the portable archive that
# packaging/dist.sh built: target/dist/homebrew/stint.rb (the .tar.gz) and
# target/dist/scoop/stint.json (the .zip), each with the archive's URL and SHA-256.
# Usage: packaging/formulae.sh VERSION OUT BASE-URL (BASE-URL: where the archives are served,
# STINT_RELEASE_URL in make dist; STINT_HOMEPAGE names the project's page, default BASE-URL).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$1 out=$2 base=${3%/}
homepage=${STINT_HOMEPAGE:-$base}
case $base in
  https://* | file:///*) ;;
  *) echo "formulae: the release URL must be https:// (or file:/// for a local install): $base" >&2; exit 1 ;;
esac
render() { # template, archive, output
  local archive="$out/$2" sum
  sum=$(sha256sum "$archive" | cut -d' ' -f1)
  mkdir -p "$(dirname "$3")"
  sed -e "s|@VERSION@|$version|g" -e "s|@URL@|$base/$2|g" -e "s|@SHA256@|$sum|g" \
    -e "s|@HOMEPAGE@|$homepage|g" "$1" > "$3"
  if grep -q '@[A-Z0-9]*@' "$3"; then
    echo "formulae: $3 still has a placeholder" >&2
    exit 1
  fi
  echo "dist: $3 ($2, sha256 $sum)"
}
render packaging/homebrew/stint.rb "stint-cli-$version-portable.tar.gz" "$out/homebrew/stint.rb"
render packaging/scoop/stint.json "stint-cli-$version-portable.zip" "$out/scoop/stint.json"

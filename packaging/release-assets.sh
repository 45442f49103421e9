#!/usr/bin/env bash
# The assets of a release, from make dist's output: the archives, the package, the formulae, a
# SHA256SUMS over them and the release notes (what to paste to pin this version in CI).
#
#   packaging/release-assets.sh TAG [DIST_DIR [OUT_DIR]]
#
# TAG is the git tag being released, vVERSION; it must name the version the build carries (the
# pom's), or the archives' names would not be the ones the notes and the Action ask for.
# GITHUB_REPOSITORY (owner/name), set on GitHub's runners, makes the download URLs in the notes.
set -euo pipefail
cd "$(dirname "$0")/.."

tag=${1:?usage: packaging/release-assets.sh vVERSION [DIST_DIR [OUT_DIR]]}
dist=${2:-target/dist}
out=${3:-target/release}

[[ $tag =~ ^v([0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?)$ ]] \
  || { echo "release: the tag must be vMAJOR.MINOR.PATCH, not '$tag'" >&2; exit 2; }
version=${BASH_REMATCH[1]}
case $version in
  *SNAPSHOT*) echo "release: $version is a development version; set a release version in pom.xml" >&2; exit 2 ;;
esac
built=$(sed -n 's/^version=//p' "$dist/../classes/dev/stint/version.properties" 2>/dev/null || true)
[ "$built" = "$version" ] || {
  echo "release: tag $tag but the build is version '${built:-unknown}': set <version>$version</version> in pom.xml, commit, and tag that commit" >&2
  exit 2
}

assets=(
  "stint-$version-linux-x64.tar.gz"
  "stint_${version}_amd64.deb"
  "stint-cli-$version-linux-x64.tar.gz"
  "stint-cli-$version-portable.tar.gz"
  "stint-cli-$version-portable.zip"
  "homebrew/stint.rb"
  "scoop/stint.json"
)
rm -rf "$out"
mkdir -p "$out"
for asset in "${assets[@]}"; do
  [ -f "$dist/$asset" ] || { echo "release: $dist/$asset is missing: run make dist" >&2; exit 1; }
  # Flat names: a release's assets have no folders.
  cp "$dist/$asset" "$out/${asset##*/}"
done
(cd "$out" && sha256sum -- * > SHA256SUMS)

cli="stint-cli-$version-linux-x64.tar.gz"
cli_sha=$(sed -n "s/^\([0-9a-f]\{64\}\)  $cli\$/\1/p" "$out/SHA256SUMS")
[ ${#cli_sha} -eq 64 ] || { echo "release: no SHA-256 of $cli in SHA256SUMS" >&2; exit 1; }
base="https://github.com/${GITHUB_REPOSITORY:-OWNER/stint}/releases/download/$tag"
cat > "$out/NOTES.md" <<NOTES
stint $version. Check a download with \`sha256sum -c SHA256SUMS --ignore-missing\`.

GitHub Actions (docs/ci.md): the Action installs this version's CLI and checks it.

\`\`\`yaml
      - uses: ${GITHUB_REPOSITORY:-OWNER/stint}@$tag   # or this tag's commit SHA
        with:
          version: $version
          sha256: '$cli_sha'   # quoted: YAML would read some digests as numbers
          profile: YOUR-PROFILE
\`\`\`

GitLab CI (docs/ci.md), as CI/CD variables of the project or group:

\`\`\`text
STINT_TARBALL_URL=$base/$cli
STINT_TARBALL_SHA256=$cli_sha
\`\`\`
NOTES
echo "release: $out (${#assets[@]} assets, SHA256SUMS, NOTES.md)"

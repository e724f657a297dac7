#!/usr/bin/env bash
# Gets ECharts' echarts.min.js (the library that draws plotting's interactive
# charts) from the npm registry, checks its SHA-256, and installs it where
# package plotting looks for it. Third-party code is never committed: this
# script is the one way it arrives.
#
#   scripts/fetch-echarts.sh          # -> build/echarts/echarts-5.6.0.min.js
#   scripts/fetch-echarts.sh DEST     # -> DEST (a file path), e.g. for an image:
#                                     #    /usr/local/share/dlnb/echarts-5.6.0.min.js
#
# Fast and silent when the file is already there and intact. Needs npm (Node.js);
# on Debian, as root, it installs it when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=5.6.0
SHA256=bf4a223524e40b77c304bec67e1222cf551f14880cf42c69dc046558e11c07b1
DEST=${1:-build/echarts/echarts-$VERSION.min.js}

ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$SHA256" ]; }

if ok "$DEST"; then
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "fetch-echarts: installing npm (Debian package)" >&2
    apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends npm >/dev/null
  else
    echo "fetch-echarts: npm is needed to get echarts@$VERSION from the npm registry: install Node.js (it includes npm)" >&2
    exit 1
  fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "echarts@$VERSION" --silent >/dev/null)
tar -xzf "$tmp/echarts-$VERSION.tgz" -C "$tmp" package/dist/echarts.min.js package/LICENSE package/NOTICE
if ! ok "$tmp/package/dist/echarts.min.js"; then
  echo "fetch-echarts: echarts@$VERSION from the npm registry has an unexpected SHA-256:" >&2
  sha256sum "$tmp/package/dist/echarts.min.js" >&2
  echo "fetch-echarts: want $SHA256; not installing it" >&2
  exit 1
fi
mkdir -p "$(dirname "$DEST")"
# Install by rename, so a reader never sees half a file.
cp "$tmp/package/dist/echarts.min.js" "$DEST.tmp.$$"
mv -f "$DEST.tmp.$$" "$DEST"
cp "$tmp/package/LICENSE" "$(dirname "$DEST")/ECHARTS-LICENSE"
cp "$tmp/package/NOTICE" "$(dirname "$DEST")/ECHARTS-NOTICE"
echo "fetch-echarts: installed ECharts $VERSION at $DEST" >&2

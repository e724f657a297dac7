#!/usr/bin/env bash
# Prints the path of the pinned uv (https://docs.astral.sh/uv/), installing it first if it is
# missing: the wheel for this platform is fetched from PyPI, its SHA-256 checked against the
# table below, and the uv binary inside it put in $DLNB_BIN_DIR (default build/bin). Every
# Python environment of the project (Jupyter, the Keras parity suite, the bench peers) is made
# by this uv from a lock file with hashes, never in the system's Python.
#
#   uv=$(bash scripts/uv.sh)      # then: "$uv" sync --locked --project <dir> ...
#
# To move to another uv: change version and the four hashes (from
# https://pypi.org/simple/uv/ with Accept: application/vnd.pypi.simple.v1+json).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin_dir=${DLNB_BIN_DIR:-$root/build/bin}
version=0.13.8
uv=$bin_dir/uv

if [ -x "$uv" ] && [ "$("$uv" --version 2>/dev/null | cut -d' ' -f2)" = "$version" ]; then
  echo "$uv"
  exit 0
fi

case "$(uname -s)/$(uname -m)" in
Linux/x86_64)
  wheel=uv-$version-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
  path=c5/32/52ee34636aea1ab3f8baeeae1c3599461b8cddfb379862cc72ac61b8d91c
  sum=e18a57b8b352eb7c8feb317b9f6f533c8f0ad9673fd6cf34bbe3cf1a9f6a8984 ;;
Linux/aarch64)
  wheel=uv-$version-py3-none-manylinux_2_28_aarch64.whl
  path=80/ce/f5eba24d8ec7fa566f9d50d1a69dbf9510137c30366b9f16dbeaf9b9dae4
  sum=5337c30bb893b4f9ce0ceb921ba2da0d13f649da644f40ad3bef84083bef0203 ;;
Darwin/x86_64)
  wheel=uv-$version-py3-none-macosx_10_12_x86_64.whl
  path=be/7a/fd8a719c0198f8f8341847fc33b377f25ac79f7c4a56dbce5ceb086f239c
  sum=b7124ca1956ec2e476a1003ea5715a15f0266afaec37f4dc9c6972ba8183e6d1 ;;
Darwin/arm64)
  wheel=uv-$version-py3-none-macosx_11_0_arm64.whl
  path=84/46/deb3a1eb3020575e41d1f9840c07185761d8d4c25cd6f58e813afb017476
  sum=62b6943c7fd64fac6854f780bea6e0359e5a5bc3241f83ee357bb38276afac49 ;;
*)
  echo "uv.sh: no pinned uv wheel for $(uname -s)/$(uname -m); install uv $version yourself" >&2
  echo "       (https://docs.astral.sh/uv/) and put it at $uv" >&2
  exit 1 ;;
esac

echo "uv.sh: installing uv $version from PyPI into $bin_dir" >&2
mkdir -p "$bin_dir"
tmp=$(mktemp -d "$bin_dir/.uv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
url=https://files.pythonhosted.org/packages/$path/$wheel
# curl, or Python's own client where there is no curl (the image's base, docker/image/nbgrader).
if command -v curl >/dev/null 2>&1; then
  fetch() { curl -fsSL --retry 3 -o "$1" "$2"; }
else
  fetch() { python3 -c 'import shutil, sys, urllib.request
with urllib.request.urlopen(sys.argv[2], timeout=120) as r, open(sys.argv[1], "wb") as f: shutil.copyfileobj(r, f)' "$1" "$2"; }
fi
fetch "$tmp/$wheel" "$url" || {
  echo "uv.sh: could not download $wheel from files.pythonhosted.org (is PyPI reachable?)" >&2
  exit 1
}
got=$( (sha256sum "$tmp/$wheel" 2>/dev/null || shasum -a 256 "$tmp/$wheel") | cut -d' ' -f1)
if [ "$got" != "$sum" ]; then
  echo "uv.sh: $wheel has SHA-256 $got, expected $sum: refusing to install it" >&2
  exit 1
fi
# A wheel is a zip file; Python's zipfile reads it where there is no unzip.
python3 - "$tmp/$wheel" "$tmp" "uv-$version.data/scripts/uv" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    z.extract(sys.argv[3], sys.argv[2])
PY
chmod 755 "$tmp/uv-$version.data/scripts/uv"
mv "$tmp/uv-$version.data/scripts/uv" "$uv"
echo "$uv"

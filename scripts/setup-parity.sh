#!/usr/bin/env bash
# Creates (or checks) the Keras parity environment build/venv/parity from parity/uv.lock
# (hashes of every wheel) with the pinned uv of scripts/uv.sh, and prints the path of its
# python. Keras 3 runs there on the JAX CPU backend, the lightest of the three: jax +
# jaxlib are 88 MB of wheels (the whole environment 180 MB of downloads, 657 MB
# installed), where PyPI's torch for Linux is a wheel of hundreds of MB that also
# pulls the CUDA libraries, and tensorflow-cpu is hundreds of MB with a larger tree.
# jax 0.10.2 is the newest for the Python 3.11 these machines have (0.12 wants 3.12).
#
# The wheels go to uv's cache (~/.cache/uv), so a second run, or a rebuild after
# `rm -rf build/venv/parity`, takes seconds and needs no network.
#
#   py=$(bash scripts/setup-parity.sh)   # then: KERAS_BACKEND=jax "$py" parity/cases.py ...
#
# To change a version: edit parity/pyproject.toml, then
#   "$(bash scripts/uv.sh)" lock --project parity --python /usr/bin/python3
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
uv=$(bash "$root/scripts/uv.sh")
venv=$root/build/venv/parity

# A Python 3.11 on this machine: uv may not download one (no network beyond the
# package registries), so use the one on PATH or Debian's.
python=${DLNB_PARITY_PYTHON:-}
if [ -z "$python" ]; then
  for p in python3.11 python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      python=$(command -v "$p")
      break
    fi
  done
fi
if [ -z "$python" ]; then
  echo "setup-parity.sh: no Python 3.11 found (tried python3.11, python3, /usr/bin/python3)." >&2
  echo "  On Debian: apt-get install python3 python3-venv; or set DLNB_PARITY_PYTHON to a 3.11 interpreter." >&2
  exit 1
fi

UV_PROJECT_ENVIRONMENT=$venv "$uv" sync --quiet --locked --project "$root/parity" --python "$python" >&2 || {
  echo "setup-parity.sh: uv sync of parity/uv.lock into $venv failed (see above)." >&2
  echo "  Is PyPI reachable? The first run downloads ~200 MB of wheels (jaxlib, scipy, numpy, onnxruntime)." >&2
  exit 1
}
echo "$venv/bin/python"

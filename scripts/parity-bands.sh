#!/usr/bin/env bash
# The bands Keras 3 itself produces for lessons 6 and 8 (issue 12 item 3): the course's code,
# several runs with Keras' own seeds, shuffled; in Keras-JAX's arithmetic and in the
# TensorFlow backend's (nn's). Writes build/parity-bands.json and prints a summary.
#
#   bash scripts/parity-bands.sh [RUNS]      # make parity-bands (RUNS default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
py=$(bash scripts/setup-parity.sh)
mkdir -p build
KERAS_BACKEND=jax nice "$py" parity/bands.py "${1:-5}" build/parity-bands.json
# nn, the same experiments (seconds).
GOTOOLCHAIN=local nice go run ./parity/nnbands -runs "${1:-5}"

#!/usr/bin/env bash
# The Keras parity suite (issue 12): nn against Keras 3.15.1 itself (JAX CPU backend),
# case by case, from the same initial weights on the same batches. Makes the locked
# environment build/venv/parity first (scripts/setup-parity.sh; cached: seconds when
# it exists), then runs the Go tests of package parity (build tag parity), which
# run Keras through parity/keras_cases.py and print one line per case: the largest
# difference seen and its tolerance. Any case beyond its tolerance fails the stage.
#
#   bash scripts/test-parity.sh            # the CI cases (a few minutes)
#   DLNB_PARITY_LARGE=1 bash scripts/test-parity.sh   # also the large ones (make test-parity-large)
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local
# numpy's OpenBLAS at its full speed (see shared notes): these are set for old builds only.
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
DLNB_PARITY_PYTHON=$(bash scripts/setup-parity.sh)
export DLNB_PARITY_PYTHON KERAS_BACKEND=jax
mkdir -p build
export DLNB_PARITY_REPORT=$PWD/build/parity-report.txt
rm -f "$DLNB_PARITY_REPORT"
start=$(date +%s)
set +e
nice go test -tags parity -count=1 -timeout 30m ./parity > build/parity-test.log 2>&1
rc=$?
set -e
# The report (one line per case) and, on failure, the test's messages.
if [ $rc -ne 0 ]; then
  sed '/^parity: nn against Keras 3/,$d' build/parity-test.log | head -100
fi
if [ -f "$DLNB_PARITY_REPORT" ]; then
  cat "$DLNB_PARITY_REPORT"
else
  echo "test-parity: no report (the test failed before comparing); full log in build/parity-test.log" >&2
  [ $rc -ne 0 ] || rc=1
fi
echo "test-parity: $(( $(date +%s) - start )) s"
exit $rc

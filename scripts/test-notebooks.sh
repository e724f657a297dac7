#!/usr/bin/env bash
# The notebook stage of `make test`: executes every notebook under notebooks/ with the
# real GoNB kernel and the project's Jupyter (build/venv/jupyter, from uv.lock), with the network
# cut off, and fails on any error output or unmet expectation (cell metadata "dlnb", or an
# `// expect:` line; see notebooks/README.md). Before that it proves the harness can
# fail (fixtures under scripts/testdata/notebooks) and checks that notebooks are
# committed clean.
#
#   bash scripts/test-notebooks.sh                       everything
#   bash scripts/test-notebooks.sh notebooks/NB.ipynb    just these notebooks (for lesson authors)
#
# Without Jupyter and no apt-get to install it, it says so and skips; with CI=true a
# missing piece is a failure. Executed copies go to build/notebooks/ (not in git).
set -euo pipefail
# shellcheck source=scripts/runtime-env.sh
. "$(dirname "$0")/runtime-env.sh"
cd "$DLNB_ROOT"

fail() { echo "test-notebooks: FAIL: $*" >&2; exit 1; }
missing() { # a piece is missing: skip locally, fail in CI
  if [ "${CI:-}" = true ]; then
    fail "$1 (CI=true: a missing piece is a failure)"
  fi
  echo "test-notebooks: SKIP: $1"
  echo "test-notebooks: the notebooks were NOT tested. $2"
  exit 0
}

# Jupyter comes from the project's environment (scripts/setup.sh makes it from uv.lock), or from
# DLNB_PYTHON when that is set.
if [ -n "${DLNB_PYTHON:-}" ] && ! dlnb_python_ok "$DLNB_PYTHON"; then
  missing "Jupyter's Python libraries ($DLNB_JUPYTER_MODULES) are not importable by DLNB_PYTHON=$DLNB_PYTHON" \
    "Unset DLNB_PYTHON to use the project's environment (build/venv/jupyter), or install them there."
fi
if ! dlnb_find_python && ! { command -v curl && command -v python3; } >/dev/null 2>&1 && ! dlnb_can_apt; then
  missing "Jupyter's environment is not made yet, and there is neither curl + python3 nor apt-get to make it" \
    "Install curl and python3 (3.11+), then run this again: scripts/setup.sh makes the environment from uv.lock."
fi

# The kernelspec for the tests lives in the build dir, so tests neither need nor change the user's.
export DLNB_JUPYTER_DATA_DIR=$DLNB_ROOT/build/jupyter
bash scripts/setup.sh
dlnb_find_python || fail "setup.sh ran but no Python can import $DLNB_JUPYTER_MODULES"
export JUPYTER_PATH=$DLNB_JUPYTER_DATA_DIR JUPYTER_RUNTIME_DIR=$DLNB_JUPYTER_DATA_DIR/runtime
kernel_json=$DLNB_JUPYTER_DATA_DIR/kernels/$DLNB_KERNEL_NAME/kernel.json
[ -f "$kernel_json" ] || fail "setup.sh did not write $kernel_json"

# Offline: run the harness in a network namespace of its own (only loopback, which Jupyter's
# kernel protocol needs). Root can; others may through a user namespace (unshare -r).
offline=()
find_ip() { # iproute2's ip; /usr/sbin is not on a Debian user's PATH
  command -v ip 2>/dev/null || { for p in /usr/sbin/ip /sbin/ip; do [ -x "$p" ] && echo "$p" && return; done; }
}
if [ -z "$(find_ip)" ] && dlnb_can_apt; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  $sudo apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends iproute2 >/dev/null
fi
ip=$(find_ip || true)
if [ -n "$ip" ]; then
  for u in "unshare -n" "unshare -rn"; do
    if $u "$ip" link set lo up >/dev/null 2>&1; then
      read -r -a offline <<<"$u"
      # shellcheck disable=SC2016 # $0 and $@ are the inner shell's
      offline+=(sh -c '"$0" link set lo up && exec "$@"' "$ip")
      break
    fi
  done
fi
if [ ${#offline[@]} -eq 0 ]; then
  msg="cannot run the notebooks without network here (needs 'unshare -n' or 'unshare -rn', and 'ip' from iproute2)"
  [ "${CI:-}" = true ] && fail "$msg (CI=true)"
  echo "test-notebooks: note: $msg; running them with the network on"
fi
harness() { ${offline[@]+"${offline[@]}"} "$DLNB_PYTHON" scripts/run_notebooks.py --kernel "$DLNB_KERNEL_NAME" "$@"; }

# Just the notebooks given, for lesson authors.
if [ $# -gt 0 ]; then
  "$DLNB_PYTHON" scripts/run_notebooks.py --kernel "$DLNB_KERNEL_NAME" --check-clean "$@" ||
    echo "test-notebooks: (not clean for committing: see above)"
  harness -v "$@"
  exit
fi

echo "--- without Jupyter: skip locally (saying why), fail in CI"
without_jupyter() { # CI value; prints the output and the exit code of this script without Jupyter
  local out rc=0
  out=$(DLNB_PYTHON=/bin/false DLNB_NO_APT=1 CI=$1 bash "$0" 2>&1) || rc=$?
  echo "$out"
  echo "exit $rc"
}
got=$(without_jupyter "")
if ! grep -q "SKIP: Jupyter" <<<"$got" || ! grep -q "^exit 0$" <<<"$got"; then
  echo "$got"
  fail "no skip without Jupyter"
fi
got=$(without_jupyter true)
if ! grep -q "FAIL: Jupyter" <<<"$got" || ! grep -q "^exit 1$" <<<"$got"; then
  echo "$got"
  fail "CI=true without Jupyter did not fail"
fi
echo "ok   skips locally, fails with CI=true"

echo "--- the harness's own checks (unit tests)"
out=$("$DLNB_PYTHON" scripts/test_run_notebooks.py 2>&1) || { echo "$out"; fail "the harness's unit tests"; }
echo "$out" | tail -n 3

echo "--- the harness must reject broken notebooks (fixtures in scripts/testdata/notebooks)"
fixtures=scripts/testdata/notebooks
# fixture | the harness must exit 1 and print this (a regex), or "pass" if it must pass | harness options
while IFS='|' read -r nb want opts; do
  set +e
  # shellcheck disable=SC2086 # $opts is a list of options
  got=$(harness --src "$fixtures" --out build/notebook-fixtures $opts "$fixtures/$nb" 2>&1)
  rc=$?
  set -e
  if [ "$want" = pass ]; then
    [ $rc -eq 0 ] || { echo "$got"; fail "the harness rejected $fixtures/$nb, which must pass"; }
    echo "ok   $nb passes"
  else
    [ $rc -eq 1 ] || { echo "$got"; fail "the harness exited $rc on $fixtures/$nb, want 1 (rejected)"; }
    grep -Eq -- "$want" <<<"$got" || { echo "$got"; fail "rejected $fixtures/$nb but without saying /$want/"; }
    echo "ok   $nb rejected: $(grep -Eo -- "$want" <<<"$got" | head -n 1)"
  fi
done <<'EOF'
pass.ipynb|pass
wrong-expectation.ipynb|cell 0 \(.*\): expect: 'answer: 43' not found
wrong-in-metadata.ipynb|cell 1 \(fmt.Println\("answer: 42"\)\): expect: 'answer: 43' not found
out-of-band.ipynb|0\.52 not in \[0\.6, 0\.85\]
compile-error.ipynb|undefined: undefinedName
panic.ipynb|panic: lesson broke
missing-error.ipynb|expected an error \('overflow'\), but the cell succeeded
timeout.ipynb|CellTimeoutError|--timeout 3
EOF
if [ ${#offline[@]} -gt 0 ]; then
  harness --src "$fixtures" --out build/notebook-fixtures "$fixtures/deep/down/offline.ipynb" >/dev/null ||
    { harness --src "$fixtures" --out build/notebook-fixtures "$fixtures/deep/down/offline.ipynb" || true
      fail "the kernel does not work offline or from a nested directory ($fixtures/deep/down/offline.ipynb)"; }
  echo "ok   deep/down/offline.ipynb passes: no network, project packages import two directories down"
fi

mapfile_compat() { # bash 3.2 has no mapfile
  notebooks=()
  while IFS= read -r f; do notebooks+=("$f"); done < <(find notebooks -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | LC_ALL=C sort)
}
mapfile_compat
[ ${#notebooks[@]} -gt 0 ] || fail "no notebooks under notebooks/"

echo "--- notebooks are committed clean (no outputs, kernel '$DLNB_KERNEL_NAME', canonical JSON)"
"$DLNB_PYTHON" scripts/run_notebooks.py --kernel "$DLNB_KERNEL_NAME" --check-clean "${notebooks[@]}"
echo "ok   ${#notebooks[@]} notebooks"

echo "--- every notebook, executed with the real kernel${offline[0]+, offline} (copies in build/notebooks/)"
harness --fresh "${notebooks[@]}"

echo "--- make lab (scripts/lab.sh): Jupyter starts on notebooks/ and runs a Go cell${offline[0]+, offline}"
# Server and check run in the same (network) namespace; the server is stopped at the end.
lab_test() {
  local token port i
  token=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  port=$("$DLNB_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  JUPYTER_TOKEN=$token bash scripts/lab.sh --no-browser --ip 127.0.0.1 --port "$port" >build/lab-test.log 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null' EXIT
  for i in $(seq 120); do
    "$DLNB_PYTHON" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/api', timeout=2)" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat build/lab-test.log; echo "lab.sh exited" >&2; return 1; }
    [ "$i" = 120 ] && { cat build/lab-test.log; echo "Jupyter did not answer in 120 s" >&2; return 1; }
    sleep 1
  done
  "$DLNB_PYTHON" scripts/jupyter_api.py lab "http://127.0.0.1:$port" "$token" "$DLNB_KERNEL_NAME" 00-welcome.ipynb &&
    "$DLNB_PYTHON" scripts/jupyter_api.py page "http://127.0.0.1:$port" "$token"
}
export DLNB_PYTHON DLNB_KERNEL_NAME
${offline[@]+"${offline[@]}"} bash -c "$(declare -f lab_test); lab_test" || fail "make lab (log: build/lab-test.log)"

echo "--- the kernel's life cycle: 20 kernels run a cell, 5 of them killed with SIGKILL, nothing left behind"
# scripts/dlnb-kernel (the kernelspec's argv[0]) reaps gopls and removes GoNB's folder however a
# kernel ends; without it, each killed kernel leaves its gopls running and its folder in /tmp.
"$DLNB_PYTHON" scripts/kernel_lifecycle_check.py "$DLNB_KERNEL_NAME" 20 5 || fail "the kernel's life cycle left something behind"

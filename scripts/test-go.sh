#!/usr/bin/env bash
# Go unit tests, examples and a short run of every benchmark (so benchmarks keep compiling and running).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local

# exercises/mkexercises writes notebooks through the notebook harness's writer (nbformat, in the
# project's Python environment), and its tests run it: make the environment if it is missing.
# shellcheck source=scripts/runtime-env.sh
. scripts/runtime-env.sh
if ! dlnb_find_python; then
  echo "test-go: no Python with nbformat yet (exercises/mkexercises needs it): running scripts/setup.sh"
  bash scripts/setup.sh
  dlnb_find_python || { echo "test-go: scripts/setup.sh ran but $DLNB_VENV has no nbformat" >&2; exit 1; }
fi
export DLNB_PYTHON

# Generated code is current: regenerate every go:generate output (the assembly of
# internal/fastblas and internal/fastops, internal/onnxpb's ONNX bindings, which need protoc:
# its generate.sh installs Debian's protobuf-compiler when missing) and fail if it differs
# from what is checked in.
generated=(internal/fastblas/kernel_amd64.s internal/fastops/asm_amd64.s internal/onnxpb/onnx.pb.go)
go generate ./...
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  if ! git diff --exit-code --stat -- "${generated[@]}"; then
    echo "test-go: the generated files above differ from what go generate writes:" >&2
    echo "  edit the generator (internal/fastblas/gen_kernels.go, internal/fastops/gen_ops.go, internal/onnxpb/generate.sh), not its output; run go generate ./... and commit both." >&2
    exit 1
  fi
else
  echo "test-go: not a git checkout: regenerated ${generated[*]} but cannot diff it" >&2
  [ "${CI:-}" = true ] && exit 1
fi

# ./... leaves out build/ (go.mod's ignore directive): the stages put copies of notebooks/, with its Go
# packages, there (build/lesson-screens/notebooks), and go vet, go test and deadcode would check
# those copies too (deadcode reported each copied lesson function as dead). Check it with a copy.
mkdir -p build
probe=$(mktemp -d build/go-ignore-probe.XXXXXX)
trap 'rm -rf "$probe"' EXIT
cp -r notebooks/lesson "$probe/"
if go list ./... | grep "/build/"; then
  echo "test-go: go list ./... lists the packages above under build/: go.mod must keep \"ignore ./build\"" >&2
  exit 1
fi
rm -rf "$probe"

go vet ./...
# No dead code: deadcode (golang.org/x/tools, pinned in tools/deadcode) lists every function no
# program, test or example reaches. An Example without an "// Output:" comment is compiled but
# never run, so it counts as dead too: give it its output.
dead=$(go tool -modfile=tools/deadcode/go.mod deadcode -test ./...)
if [ -n "$dead" ]; then
  echo "$dead" >&2
  echo "test-go: the functions above are never called: remove them (or call them from a test or an Example)" >&2
  exit 1
fi
go test -count=1 ./...
# The concurrency contract of nn (many goroutines predicting with one model,
# Predict during Fit) is checked by the race detector.
# Only the concurrent tests: the race detector slows the rest several times and allocates on its own
# (the allocation and large-model tests run in the plain pass above).
go test -count=1 -race -run 'Concurrent|DuringFit|Goroutine' ./nn/ ./internal/parallel/
# The kernels' own tests run every path the CPU has; run the packages that use them
# once more forced onto the portable path, as on a CPU without AVX2, and nn on AVX2 alone
# where the CPU has AVX-512 too (the plain pass above took the fastest path).
DLNB_KERNELS=generic go test -count=1 ./internal/... ./nn/
if grep -qw avx512f /proc/cpuinfo && grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo; then
  DLNB_KERNELS=avx2 go test -count=1 ./nn/
fi
go test -count=1 -run '^$' -bench . -benchtime 1x ./... >/dev/null

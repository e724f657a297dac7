#!/bin/sh
# Run during docker build as the notebook user (NB_UID), with HOME pointing at
# a throwaway directory. Warms the build cache the kernel uses, the way the
# kernel builds: the project's packages and what the lessons import
# (notebooks/imports.go, build tag notebooks, as scripts/setup.sh does), then
# one cell importing those packages, executed by the real Go kernel through
# Jupyter (which also proves at build time that the kernel starts and builds).
# GOPROXY=off: nothing may be downloaded here, so a module missing from the
# image fails the build instead of being fetched behind our back.
set -eu
umask 002 # group users (GID 100) may use and extend the cache
export GOPROXY=off
src=/opt/dlnb/src
work="$HOME"
mkdir -p "$work"
cd "$src"

go build -tags notebooks ./...
pkgs=$(go list -tags notebooks -f '{{if ne .Name "main"}}{{.ImportPath}}{{end}}' ./... | grep -v -e '/internal' -e '/notebooks$' || true)
if [ -f notebooks/imports.go ]; then
    pkgs="$pkgs $(go list -tags notebooks -f '{{join .Imports " "}}' ./notebooks)"
fi
pkgs=$(echo "$pkgs" | tr ' ' '\n' | sed '/^$/d' | sort -u)
echo "warming with:"; echo "$pkgs"

# shellcheck disable=SC2086 # one argument per package
python3 - "$work/warm.ipynb" $pkgs <<'PY'
import sys
import nbformat
from jupyter_client.kernelspec import KernelSpecManager
path, pkgs = sys.argv[1], sys.argv[2:]
ksm = KernelSpecManager()
go = [n for n in sorted(ksm.find_kernel_specs()) if ksm.get_kernel_spec(n).language == "go"]
if not go:
    sys.exit("warm-cache.sh: no Go kernel is registered")
imports = "".join('\t_ "%s"\n' % p for p in pkgs)
code = 'import (\n\t"fmt"\n%s)\n\n%%%%\nfmt.Println("dlnb: the build cache is warm")\n' % imports
nb = nbformat.v4.new_notebook()
nb.metadata["kernelspec"] = {"name": go[0], "display_name": "Go", "language": "go"}
nb.cells.append(nbformat.v4.new_code_cell(code))
nbformat.write(nb, path)
PY
jupyter nbconvert --to notebook --execute "$work/warm.ipynb" --output "$work/warm-out.ipynb" \
    --ExecutePreprocessor.timeout=600 2>"$work/nbconvert.log" || {
    grep -v '^[IWE][0-9]\{4\} ' "$work/nbconvert.log" | tail -40 >&2
    exit 1
}
grep -q 'dlnb: the build cache is warm' "$work/warm-out.ipynb" || {
    echo "warm-cache.sh: the warm-up cell did not print its line:" >&2
    cat "$work/warm-out.ipynb" >&2
    exit 1
}
du -sh "$(go env GOCACHE)"

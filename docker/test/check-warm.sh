#!/bin/bash
# Run inside the image (scripts/test-docker.sh): proves the build cache is warm
# without timing anything. It builds, the way GoNB builds a cell (a fresh module
# in /tmp whose go.work uses the project, GOPROXY=off, the kernel's
# environment), a program importing every package the lessons import
# (notebooks/imports.go) and the project's packages, and fails if go compiles
# any package but the program itself.
set -euo pipefail
src=/opt/dlnb/src
specs=(/usr/local/share/jupyter/kernels/*/kernel.json)
spec=${specs[0]}
# The kernel's environment (GOCACHE, GOMODCACHE, GOPROXY=off, PATH, ...).
eval "$(python3 - "$spec" <<'PY'
import json, os, shlex, sys
env = json.load(open(sys.argv[1])).get("env", {})
for k, v in env.items():
    print("export %s=%s" % (k, shlex.quote(v.replace("${PATH}", os.environ["PATH"]))))
PY
)"
cd "$src"
pkgs=$(go list -tags notebooks -f '{{if ne .Name "main"}}{{.ImportPath}}{{end}}' ./... | grep -v -e '/internal' -e '/notebooks$' || true)
if [ -f notebooks/imports.go ]; then
    pkgs="$pkgs $(go list -tags notebooks -f '{{join .Imports " "}}' ./notebooks)"
fi
dir=$(mktemp -d /tmp/warmcheck.XXXXXX)
cd "$dir"
go mod init warmcheck >/dev/null 2>&1
go work init . "$src"
{
    echo 'package main'
    echo 'import ('
    for p in $pkgs; do echo "	_ \"$p\""; done
    echo ')'
    echo 'func main() {}'
} > main.go
go build -x -o prog . 2>build.log || { cat build.log >&2; exit 1; }
compiled=$(grep -cE '/compile( |$)' build.log || true)
n=$(echo "$pkgs" | wc -w)
if [ "$compiled" != 1 ]; then
    echo "check-warm: a cell importing the $n lesson packages compiled $compiled packages, want 1 (itself): the build cache is not warm for:" >&2
    grep -E '/compile( |$)' build.log | grep -oE -- ' -p [a-zA-Z][^ ]*' | sort -u | head -20 >&2
    exit 1
fi
echo "check-warm: a cell importing $n packages compiles only itself (the cache is warm)"
rm -rf "$dir"

#!/usr/bin/env bash
# Sets up the notebook runtime; `make lab` and the notebook tests call it, and a
# Dockerfile can too. Idempotent: a second run changes nothing and takes seconds.
#
#  1. Jupyter: Debian's packages if the Python libraries are missing (apt-get; elsewhere
#     it stops and says what to pip-install, see README).
#  2. The pinned Go tools (tools/gonb: gonb + goimports, tools/gopls: gopls) into $DLNB_BIN_DIR.
#  3. The project's modules into the module cache (`go mod download`), so notebooks work offline.
#  4. The Go build cache warmed: compiles the packages lessons import (notebooks/imports.go and
#     the project's packages), so the first cell takes about a second, not half a minute.
#  5. The kernelspec kernels/$DLNB_KERNEL_NAME/kernel.json in the Jupyter data dir: GoNB with
#     --go_work=<this repo> (cells import the project's packages with no setup line) and the
#     environment it needs (PATH to go and the tools, GOTOOLCHAIN=local, GOPROXY=off, and the
#     GOCACHE/GOMODCACHE warmed here).
#
# Settings (environment): see scripts/runtime-env.sh.
set -euo pipefail
# shellcheck source=scripts/runtime-env.sh
. "$(dirname "$0")/runtime-env.sh"
cd "$DLNB_ROOT"

t_start=$(date +%s)
say() { echo "setup: $*"; }

# --- 1. Jupyter -------------------------------------------------------------------------------
if [ "${DLNB_SKIP_JUPYTER:-}" = 1 ]; then
  say "Jupyter: not checked (DLNB_SKIP_JUPYTER=1)"
elif dlnb_find_python; then
  say "Jupyter: found ($DLNB_PYTHON)"
elif dlnb_can_apt; then
  say "Jupyter: installing Debian's packages: $DLNB_JUPYTER_APT"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  if ! $sudo apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends $DLNB_JUPYTER_APT >/dev/null; then
    # A fresh machine may have no package lists yet.
    $sudo apt-get -o DPkg::Lock::Timeout=600 update >/dev/null
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends $DLNB_JUPYTER_APT >/dev/null
  fi
  DLNB_PYTHON=/usr/bin/python3
  if ! dlnb_python_ok "$DLNB_PYTHON"; then
    echo "setup: installed $DLNB_JUPYTER_APT but $DLNB_PYTHON still cannot import $DLNB_JUPYTER_MODULES" >&2
    exit 1
  fi
else
  echo "setup: Jupyter's Python libraries ($DLNB_JUPYTER_MODULES) are missing and there is no apt-get" >&2
  echo "       (or no root/sudo) to install them. Install them with pip, for example:" >&2
  echo "         python3 -m pip install --user notebook nbclient nbformat jupyter_client" >&2
  echo "       then run this again (set DLNB_PYTHON=/path/to/python3 if it is not the python3 on PATH)." >&2
  exit 1
fi

# --- 2. The pinned Go tools ---------------------------------------------------------------------
dlnb_find_go
go_version=$(go env GOVERSION)
say "Go: $go_version ($(command -v go)); go.mod asks for go $(dlnb_go_line)"
mkdir -p "$DLNB_BIN_DIR"
DLNB_BIN_DIR=$(cd "$DLNB_BIN_DIR" && pwd)
# The tools are built again only when what they are built from changed (the Go version and the
# tools modules), recorded in a stamp: `go install` would touch them on every run, and with a cold
# build cache it would spend minutes recompiling to find that nothing changed.
stamp=$DLNB_BIN_DIR/.tools-stamp
want_stamp=$(go version; cat tools/gonb/go.mod tools/gonb/go.sum tools/gopls/go.mod tools/gopls/go.sum)
tools_ok=1
for t in gonb goimports gopls; do
  [ -x "$DLNB_BIN_DIR/$t" ] || tools_ok=0
done
if [ $tools_ok = 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_stamp" ]; then
  :
else
  (cd tools/gonb && GOBIN=$DLNB_BIN_DIR go install tool)
  (cd tools/gopls && GOBIN=$DLNB_BIN_DIR go install tool)
  for t in gonb goimports gopls; do
    [ -x "$DLNB_BIN_DIR/$t" ] || { echo "setup: $DLNB_BIN_DIR/$t was not built" >&2; exit 1; }
  done
  printf '%s\n' "$want_stamp" >"$stamp.tmp" && mv "$stamp.tmp" "$stamp"
fi
say "tools: $("$DLNB_BIN_DIR/gonb" -V 2>/dev/null | head -1 || echo gonb), goimports, gopls in $DLNB_BIN_DIR"

# --- 3 and 4. Modules and the build cache -------------------------------------------------------
go mod download
warm=(./notebooks)
for d in nn datasets plotting; do
  [ -d "$d" ] && warm+=("./$d/...")
done
go build -tags notebooks "${warm[@]}"
gocache=$(go env GOCACHE)
gomodcache=$(go env GOMODCACHE)
say "Go caches warmed: GOCACHE=$gocache GOMODCACHE=$gomodcache (packages: ${warm[*]})"

# ECharts' JavaScript for package plotting's interactive charts (offline; fetched once with npm).
if [ -f scripts/fetch-echarts.sh ]; then
  bash scripts/fetch-echarts.sh ${DLNB_ECHARTS_JS:+"$DLNB_ECHARTS_JS"}
  say "ECharts: ${DLNB_ECHARTS_JS:-build/echarts/} (scripts/fetch-echarts.sh)"
fi

# --- 5. The kernelspec --------------------------------------------------------------------------
json_str() { # a JSON string literal
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}
data_dir=$(dlnb_jupyter_data_dir)
kernel_dir=$data_dir/kernels/$DLNB_KERNEL_NAME
goroot_bin=$(go env GOROOT)/bin
mkdir -p "$kernel_dir"
tmp=$(mktemp "$kernel_dir/.kernel.json.XXXXXX")
trap 'rm -f "$tmp"' EXIT
cat >"$tmp" <<EOF
{
 "argv": [$(json_str "$DLNB_BIN_DIR/gonb"), "--kernel", "{connection_file}", $(json_str "--go_work=$DLNB_ROOT")],
 "display_name": $(json_str "Go (${DLNB_KERNEL_NAME})"),
 "language": "go",
 "interrupt_mode": "message",
 "env": {
  "PATH": $(json_str "$goroot_bin:$DLNB_BIN_DIR:\${PATH}"),
  "GOTOOLCHAIN": "local",
  "GOPROXY": "off",
  "GOCACHE": $(json_str "$gocache"),
  "GOMODCACHE": $(json_str "$gomodcache"),
  "DLNB_ROOT": $(json_str "$DLNB_ROOT")${DLNB_ECHARTS_JS:+,
  \"DLNB_ECHARTS_JS\": $(json_str "$DLNB_ECHARTS_JS")}
 },
 "metadata": {"dlnb": "written by scripts/setup.sh; run it again rather than editing this file"}
}
EOF
chmod 644 "$tmp"
if cmp -s "$tmp" "$kernel_dir/kernel.json"; then
  say "kernel: $kernel_dir/kernel.json (unchanged)"
else
  mv "$tmp" "$kernel_dir/kernel.json"
  say "kernel: $kernel_dir/kernel.json (written)"
fi
# GoNB's gopher logo, as `gonb --install` installs it.
logo=$(cd tools/gonb && go list -m -f '{{.Dir}}' github.com/janpfeifer/gonb)/internal/kernel/Go_gopher_favicon.svg
if [ -f "$logo" ] && ! cmp -s "$logo" "$kernel_dir/logo-svg.svg"; then
  cp "$logo" "$tmp" && chmod 644 "$tmp" && mv "$tmp" "$kernel_dir/logo-svg.svg"
fi

say "done in $(($(date +%s) - t_start)) s"

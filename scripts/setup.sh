#!/usr/bin/env bash
# Sets up the notebook runtime; `make lab` and the notebook tests call it, and a
# Dockerfile can too. Idempotent: a second run changes nothing and takes seconds.
#
#  1. Jupyter: the project's environment in $DLNB_VENV (build/venv/jupyter), made by the pinned uv
#     (scripts/uv.sh) from pyproject.toml and uv.lock (JupyterLab 4, Notebook 7, nbclient...; every
#     wheel hash-checked). Remade only when the lock changes. apt-get only for curl and python3 if
#     they are missing (uv needs a Python 3.11+ to build the environment on).
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
apt_install() { # apt_install PKG...: Debian packages, for the few things the environment needs
  dlnb_can_apt || return 1
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "$@" >/dev/null 2>&1; then
    $sudo apt-get -o DPkg::Lock::Timeout=600 update >/dev/null # a fresh machine may have no package lists
    DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "$@" >/dev/null
  fi
}
venv_job=""
if [ "${DLNB_SKIP_JUPYTER:-}" = 1 ]; then
  say "Jupyter: not set up (DLNB_SKIP_JUPYTER=1)"
elif [ -n "${DLNB_PYTHON:-}" ]; then
  dlnb_python_ok "$DLNB_PYTHON" || {
    echo "setup: DLNB_PYTHON=$DLNB_PYTHON cannot import $DLNB_JUPYTER_MODULES; unset it to use the project's environment" >&2
    exit 1
  }
  say "Jupyter: $DLNB_PYTHON (DLNB_PYTHON)"
else
  # The environment is remade only when pyproject.toml or uv.lock changes.
  venv_stamp=$DLNB_VENV/.dlnb-lock-stamp
  want_venv_stamp=$( (cat pyproject.toml uv.lock) | (sha256sum 2>/dev/null || shasum -a 256) | cut -c1-16)
  if [ -f "$venv_stamp" ] && [ "$(cat "$venv_stamp")" = "$want_venv_stamp" ] && dlnb_python_ok "$DLNB_VENV/bin/python"; then
    say "Jupyter: $DLNB_VENV (up to date with uv.lock)"
  else
    command -v curl >/dev/null 2>&1 || apt_install curl ca-certificates ||
      { echo "setup: curl is missing (needed once to fetch uv and the locked wheels from PyPI); install it and run this again" >&2; exit 1; }
    command -v python3 >/dev/null 2>&1 || apt_install python3 ||
      { echo "setup: no python3 (3.11 or newer) to build the environment on; install it and run this again" >&2; exit 1; }
    uv=$(bash scripts/uv.sh)
    say "Jupyter: making $DLNB_VENV from uv.lock (JupyterLab $(sed -n '/^name = "jupyterlab"$/{n;s/version = "\(.*\)"/\1/p}' uv.lock); about 30 s the first time, while the Go tools build)"
    # In the background: the Go tools below build meanwhile (the two silent minutes of a cold setup).
    (
      UV_PROJECT_ENVIRONMENT=$DLNB_VENV "$uv" sync --locked --project "$DLNB_ROOT" --quiet &&
        printf '%s\n' "$want_venv_stamp" >"$venv_stamp.tmp" && mv "$venv_stamp.tmp" "$venv_stamp"
    ) &
    venv_job=$!
  fi
  DLNB_PYTHON=$DLNB_VENV/bin/python
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
  say "tools: building gonb, goimports and gopls from tools/ (about a minute with a cold Go cache)"
  (cd tools/gonb && GOBIN=$DLNB_BIN_DIR go install tool)
  (cd tools/gopls && GOBIN=$DLNB_BIN_DIR go install tool)
  for t in gonb goimports gopls; do
    [ -x "$DLNB_BIN_DIR/$t" ] || { echo "setup: $DLNB_BIN_DIR/$t was not built" >&2; exit 1; }
  done
  printf '%s\n' "$want_stamp" >"$stamp.tmp" && mv "$stamp.tmp" "$stamp"
fi
say "tools: $("$DLNB_BIN_DIR/gonb" -V 2>/dev/null | head -1 || echo gonb), goimports, gopls in $DLNB_BIN_DIR"

if [ -n "$venv_job" ]; then
  wait "$venv_job" || { echo "setup: making $DLNB_VENV from uv.lock failed (see above); is PyPI reachable?" >&2; exit 1; }
  dlnb_python_ok "$DLNB_PYTHON" || { echo "setup: $DLNB_VENV was made but cannot import $DLNB_JUPYTER_MODULES" >&2; exit 1; }
  say "Jupyter: $DLNB_VENV made ($("$DLNB_PYTHON" -m jupyterlab --version 2>/dev/null | sed 's/^/JupyterLab /'))"
fi

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
data_dir=$(dlnb_jupyter_data_dir)
kernel_dir=$data_dir/kernels/$DLNB_KERNEL_NAME
# dlnb-kernel runs gonb and cleans up after it however it ends (scripts/dlnb-kernel/main.go).
CGO_ENABLED=0 go build -o "$DLNB_BIN_DIR/dlnb-kernel" ./scripts/dlnb-kernel
say "kernel: $(go run ./scripts/kernelspec -dir "$kernel_dir" -wrapper "$DLNB_BIN_DIR/dlnb-kernel" -gonb "$DLNB_BIN_DIR/gonb" -root "$DLNB_ROOT" \
  -name "$DLNB_KERNEL_NAME" -path "$(go env GOROOT)/bin:$DLNB_BIN_DIR" -gocache "$gocache" -gomodcache "$gomodcache" \
  ${DLNB_ECHARTS_JS:+-echarts "$DLNB_ECHARTS_JS"})"
tmp=$(mktemp "$kernel_dir/.logo.XXXXXX")
trap 'rm -f "$tmp"' EXIT
# GoNB's gopher logo, as `gonb --install` installs it.
logo=$(cd tools/gonb && go list -m -f '{{.Dir}}' github.com/janpfeifer/gonb)/internal/kernel/Go_gopher_favicon.svg
if [ -f "$logo" ] && ! cmp -s "$logo" "$kernel_dir/logo-svg.svg"; then
  cp "$logo" "$tmp" && chmod 644 "$tmp" && mv "$tmp" "$kernel_dir/logo-svg.svg"
fi

say "done in $(($(date +%s) - t_start)) s"

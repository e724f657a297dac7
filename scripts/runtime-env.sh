# shellcheck shell=bash
# Shared settings of the notebook runtime, sourced by setup.sh, lab.sh and
# test-notebooks.sh (and usable from a Dockerfile). Every path can be set from
# the environment; the defaults keep everything inside the repository, except
# the kernelspec, which goes where Jupyter looks for the user's kernels.
#
#   DLNB_BIN_DIR          where gonb, goimports and gopls are built (default build/bin)
#   DLNB_KERNEL_NAME      the kernel's name in Jupyter and in the notebooks (default dlnb)
#   DLNB_JUPYTER_DATA_DIR where kernels/<name>/kernel.json is written (default: $JUPYTER_DATA_DIR,
#                         else Jupyter's user data dir, e.g. ~/.local/share/jupyter or ~/Library/Jupyter)
#   DLNB_VENV             the project's Python environment, made from pyproject.toml + uv.lock
#                         by scripts/setup.sh (default build/venv/jupyter)
#   DLNB_PYTHON           use this Python (which must have Jupyter's libraries) instead of DLNB_VENV's
#   DLNB_SKIP_JUPYTER=1   do not make the environment (e.g. an image whose base brings Jupyter)
#   DLNB_NO_APT=1         never run apt-get (setup.sh uses it only for curl and python3 when missing)
# Written for bash 3.2 too (macOS).

DLNB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DLNB_BIN_DIR=${DLNB_BIN_DIR:-$DLNB_ROOT/build/bin}
DLNB_KERNEL_NAME=${DLNB_KERNEL_NAME:-dlnb}
export GOTOOLCHAIN=local

DLNB_VENV=${DLNB_VENV:-$DLNB_ROOT/build/venv/jupyter}

# The Python modules the runtime needs (all from the lock): JupyterLab for `make lab`, nbclient
# and nbformat for the tests.
DLNB_JUPYTER_MODULES="jupyter_core jupyter_client nbformat nbclient jupyterlab"

# dlnb_python_ok PY: PY can import every module the runtime needs.
dlnb_python_ok() {
  local mods
  mods=$(echo "$DLNB_JUPYTER_MODULES" | tr ' ' ',')
  "$1" -c "import $mods" >/dev/null 2>&1
}

# dlnb_find_python: sets DLNB_PYTHON to the Python with Jupyter's libraries (DLNB_PYTHON if set,
# else the project environment's); returns 1 if it has none yet.
dlnb_find_python() {
  if [ -n "${DLNB_PYTHON:-}" ]; then
    dlnb_python_ok "$DLNB_PYTHON"
    return
  fi
  if [ -x "$DLNB_VENV/bin/python" ] && dlnb_python_ok "$DLNB_VENV/bin/python"; then
    DLNB_PYTHON=$DLNB_VENV/bin/python
    return 0
  fi
  return 1
}

# dlnb_can_apt: apt-get exists and we can run it (root, or sudo without a password prompt).
dlnb_can_apt() {
  [ "${DLNB_NO_APT:-}" = 1 ] && return 1
  command -v apt-get >/dev/null 2>&1 || return 1
  [ "$(id -u)" = 0 ] && return 0
  command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1
}

# dlnb_go: the go command, or a clear error.
dlnb_find_go() {
  if command -v go >/dev/null 2>&1; then
    return 0
  fi
  if [ -x /usr/local/go/bin/go ]; then
    PATH=/usr/local/go/bin:$PATH
    export PATH
    return 0
  fi
  echo "dlnb: Go is not installed (no 'go' on PATH, none in /usr/local/go/bin)." >&2
  echo "      Install Go $(dlnb_go_line) or newer from https://go.dev/dl and put its bin directory on PATH." >&2
  return 1
}

# dlnb_go_line: the go version go.mod asks for.
dlnb_go_line() {
  sed -n 's/^go \([0-9.]*\).*/\1/p' "$DLNB_ROOT/go.mod"
}

# dlnb_jupyter_data_dir: where this user's kernels live.
dlnb_jupyter_data_dir() {
  if [ -n "${DLNB_JUPYTER_DATA_DIR:-}" ]; then
    echo "$DLNB_JUPYTER_DATA_DIR"
  elif [ -n "${JUPYTER_DATA_DIR:-}" ]; then
    echo "$JUPYTER_DATA_DIR"
  elif [ -n "${DLNB_PYTHON:-}" ] && "$DLNB_PYTHON" -c 'import jupyter_core' >/dev/null 2>&1; then
    "$DLNB_PYTHON" -c 'from jupyter_core.paths import jupyter_data_dir; print(jupyter_data_dir())'
  elif [ "$(uname -s)" = Darwin ]; then
    echo "$HOME/Library/Jupyter"
  else
    echo "${XDG_DATA_HOME:-$HOME/.local/share}/jupyter"
  fi
}

#!/usr/bin/env bash
# `make lab`: sets up what is missing (scripts/setup.sh: the project's JupyterLab 4 environment
# from uv.lock, GoNB, the kernelspec), then starts JupyterLab on notebooks/ with "Go (dlnb)" as the
# kernel of new notebooks. It prints the URL with its token. Arguments go to JupyterLab:
#
#   bash scripts/lab.sh --port 9999
#   bash scripts/lab.sh --ServerApp.base_url=/user/student1/     (as behind a hub)
set -euo pipefail
# shellcheck source=scripts/runtime-env.sh
. "$(dirname "$0")/runtime-env.sh"

bash "$DLNB_ROOT/scripts/setup.sh"
dlnb_find_python || {
  echo "lab: setup.sh ran, but $DLNB_VENV has no JupyterLab (set DLNB_PYTHON to a Python that has it)" >&2
  exit 1
}

# DLNB_LAB_ROOT: serve another folder than notebooks/ (the browser tests serve a copy of it).
lab_root=${DLNB_LAB_ROOT:-$DLNB_ROOT/notebooks}
args=(
  --ServerApp.root_dir="$lab_root"
  # New notebooks (File > New > Notebook, the launcher's first tile) get the Go kernel, not python3.
  --MultiKernelManager.default_kernel_name="$DLNB_KERNEL_NAME"
)
# No browser to open on a server (no display): say nothing about it; the URL below is what to open.
if [ "$(uname -s)" != Darwin ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  args+=(--no-browser)
fi
if [ "$(id -u)" = 0 ]; then
  args+=(--allow-root) # Jupyter refuses to run as root without it (containers, CI machines)
fi
echo "lab: starting JupyterLab $("$DLNB_PYTHON" -m jupyterlab --version) on $lab_root"
echo "lab: open the http://127.0.0.1 URL it prints (with its token), then 00-welcome.ipynb"
exec "$DLNB_PYTHON" -m jupyterlab "${args[@]}" "$@"

#!/usr/bin/env bash
# `make lab`: sets up what is missing (scripts/setup.sh), then starts Jupyter on notebooks/
# with the Go kernel "Go (dlnb)". JupyterLab if it is installed, else the classic Notebook
# (Debian's). Arguments go to Jupyter:
#
#   bash scripts/lab.sh --port 9999 --no-browser
set -euo pipefail
# shellcheck source=scripts/runtime-env.sh
. "$(dirname "$0")/runtime-env.sh"

bash "$DLNB_ROOT/scripts/setup.sh"
dlnb_find_python || {
  echo "lab: no Python with Jupyter's libraries found (set DLNB_PYTHON)" >&2
  exit 1
}

app=notebook
if "$DLNB_PYTHON" -c 'import jupyterlab' >/dev/null 2>&1; then
  app=jupyterlab
fi
args=(--notebook-dir="$DLNB_ROOT/notebooks")
if [ "$(id -u)" = 0 ]; then
  args+=(--allow-root) # Jupyter refuses to run as root without it (containers, CI machines)
fi
echo "lab: starting Jupyter ($app) on $DLNB_ROOT/notebooks: open the URL it prints, then 00-welcome.ipynb"
exec "$DLNB_PYTHON" -m "$app" "${args[@]}" "$@"

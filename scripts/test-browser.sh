#!/usr/bin/env bash
# The browser test of package plotting: real rendered charts opened OFFLINE in
# headless Chromium (Debian's package), checking that each chart drew (a canvas
# inside its div, no script error, no text cut off at its edge), for
#   1. the exported-HTML path: pages written by SaveHTML/SavePage (every chart);
#   2. the live-notebook path: plotting/testdata/charts.ipynb opened in
#      JupyterLab 4 (the project's, from uv.lock) and run from the browser with
#      the real GoNB kernel (Run > Run All Cells), the live progress seen
#      updating at least twice while its cell ran, then saved and reopened;
#   3. that notebook exported by nbconvert to HTML, opened as a file;
#   4. the same notebook executed headless (nbconvert --execute, as the notebook
#      tests do) and exported to HTML;
#   5. the saved notebook untrusted in JupyterLab (its sanitizer strips the
#      scripts): every chart must still show its static image.
# Screenshots land in build/browser/shots (look at them); a history chart's are
# build/browser/history.png (exported page) and build/browser/history-live.png
# (the live notebook).
#
# Installs what it needs when missing: Jupyter from uv.lock (scripts/setup.sh),
# Debian's chromium and npm (for ECharts) with apt. With CI=true a missing piece is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local
root=$PWD
out=$root/build/browser
rm -rf "$out"
mkdir -p "$out"
say() { echo "test-browser: $*"; }
t0=$(date +%s)

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing $* (Debian packages)"
    apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "$@" >/dev/null ||
      { apt-get -o DPkg::Lock::Timeout=600 update >/dev/null &&
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "$@" >/dev/null; }
  else
    echo "test-browser: $* missing and cannot be installed here (needs root and apt-get)" >&2
    exit 1
  fi
}

# --- What the test needs ------------------------------------------------------------------------
command -v chromium >/dev/null 2>&1 || apt_install chromium
bash scripts/fetch-echarts.sh
(cd scripts/browsercheck && go build -o "$out/browsercheck" .)
check() { "$out/browsercheck" -out "$out/shots" "$@"; }

# --- 1. Exported HTML: every chart, standalone pages --------------------------------------------
# chartsamples prints one line per chart of the gallery: the pages must show them all, and the
# notebook (the gallery, then a live-progress chart) one more.
ncharts=$(go run ./plotting/internal/cmd/chartsamples -out "$out/pages" | wc -l)
[ "$ncharts" -ge 15 ] || { echo "test-browser: chartsamples wrote $ncharts charts, want the gallery's 15 or more" >&2; exit 1; }
nbcharts=$((ncharts + 1))
check -label pages-all -want "$ncharts" "file://$out/pages/all.html"
check -label pages-history -want 1 "file://$out/pages/history.html"
cp "$out/shots/pages-history-01.png" "$out/history.png"
for f in "$out"/pages/*.html; do
  if grep -Eq '<script[^>]+src=|<link[^>]+href=' "$f"; then
    echo "test-browser: $f loads something from outside the page" >&2
    exit 1
  fi
done
say "exported pages: ok ($(du -h "$out/pages/all.html" | cut -f1) for all $ncharts charts)"

# --- The notebook runtime -------------------------------------------------------------------------
# Jupyter is the project's environment (build/venv/jupyter, JupyterLab 4 and nbconvert from uv.lock),
# the kernelspec kept under build/ as the notebook stage keeps it, so the test never touches the
# user's own Jupyter setup.
kernel=${DLNB_KERNEL_NAME:-dlnb}
export DLNB_JUPYTER_DATA_DIR=$root/build/jupyter
bash scripts/setup.sh >"$out/setup.log" 2>&1 || { cat "$out/setup.log" >&2; exit 1; }
py=$root/build/venv/jupyter/bin/python
[ -n "${DLNB_PYTHON:-}" ] && py=$DLNB_PYTHON
export DLNB_PYTHON=$py
export JUPYTER_PATH=$DLNB_JUPYTER_DATA_DIR JUPYTER_DATA_DIR=$out/data JUPYTER_RUNTIME_DIR=$out/runtime
# JupyterLab's settings for this test: autosave off, no news fetched (offline).
export JUPYTER_CONFIG_DIR=$out/config
settings=$JUPYTER_CONFIG_DIR/lab/user-settings/@jupyterlab
mkdir -p "$settings/docmanager-extension" "$settings/apputils-extension"
echo '{"autosave": false}' >"$settings/docmanager-extension/plugin.jupyterlab-settings"
echo '{"fetchNews": "false", "checkForUpdates": false}' >"$settings/apputils-extension/notification.jupyterlab-settings"
nbdir=$out/nb
mkdir -p "$nbdir"
cp plotting/testdata/charts.ipynb "$nbdir/charts.ipynb"

# --- 4. Headless execution (nbconvert --execute), exported to HTML -------------------------------
t=$(date +%s)
"$py" -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
  --ExecutePreprocessor.kernel_name="$kernel" --output-dir "$out/executed" "$nbdir/charts.ipynb" >/dev/null 2>"$out/nbconvert-execute.log" ||
  { cat "$out/nbconvert-execute.log" >&2; exit 1; }
"$py" -m nbconvert --to html --output-dir "$out/executed" "$out/executed/charts.ipynb" >/dev/null 2>>"$out/nbconvert-execute.log"
say "nbconvert --execute: $(( $(date +%s) - t )) s"
check -label executed-export -want "$nbcharts" -progress 0 -strict=false "file://$out/executed/charts.html"

# --- 2. The live notebook: JupyterLab 4 (as `make lab` starts it), Run All from the browser -----------
port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
DLNB_LAB_ROOT=$nbdir JUPYTER_TOKEN=$token bash scripts/lab.sh --no-browser --ip=127.0.0.1 --port="$port" >"$out/lab.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
url=http://127.0.0.1:$port/
for _ in $(seq 1 240); do
  curl -sf -H "Authorization: token $token" "${url}api/status" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$out/lab.log" >&2; exit 1; }
  sleep 1
done
grep -q "Serving notebooks from local directory: $nbdir" "$out/lab.log" || { cat "$out/lab.log" >&2; echo "test-browser: JupyterLab does not serve $nbdir" >&2; exit 1; }
lab() { check -jupyter lab -token "$token" "$@" "$url"; }
t=$(date +%s)
lab -label live -path charts.ipynb -run -save -progress 2 -want "$nbcharts"
say "live notebook: $(( $(date +%s) - t )) s"
cp "$out/shots/live-01.png" "$out/history-live.png" # the history chart as drawn in the live notebook

# The saved notebook reopened (trusted: JupyterLab signed the outputs it made when it saved them): the
# charts draw from the saved outputs, without running anything.
lab -label reopened -path charts.ipynb -progress 0 -want "$nbcharts"

# --- 3. The live notebook, saved and exported by nbconvert -----------------------------------------
"$py" -m nbconvert --to html --output-dir "$out/export" "$nbdir/charts.ipynb" >/dev/null 2>"$out/nbconvert-html.log"
check -label live-export -want "$nbcharts" -progress 0 -strict=false "file://$out/export/charts.html"

# --- 5. Untrusted: a copy whose signature Jupyter has not seen --------------------------------------
"$py" - "$nbdir/charts.ipynb" "$nbdir/untrusted.ipynb" <<'EOF2'
import sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
nb.metadata["dlnb_untrusted_copy"] = True  # a new signature: not in the trust database
nbformat.write(nb, sys.argv[2])
EOF2
lab -label untrusted -path untrusted.ipynb -expect static -want "$nbcharts"

say "all browser checks passed in $(( $(date +%s) - t0 )) s; screenshots in $out/shots"

#!/usr/bin/env bash
# The browser test of package plotting: real rendered charts opened OFFLINE in
# headless Chromium (Debian's package), checking that each chart drew (a canvas
# inside its div, no script error, no text cut off at its edge), for
#   1. the exported-HTML path: pages written by SaveHTML/SavePage (every chart);
#   2. the live-notebook path: plotting/testdata/charts.ipynb opened in the
#      classic Notebook server and run cell by cell from the browser with the
#      real GoNB kernel ("Run All"), live progress included, then saved and
#      reopened;
#   3. that notebook exported by nbconvert to HTML, opened as a file;
#   4. the same notebook executed headless (nbconvert --execute, as the notebook
#      tests do) and exported to HTML;
#   5. the saved notebook untrusted (Jupyter strips scripts): every chart must
#      still show its static image.
# Screenshots land in build/browser/shots (look at them); a history chart's are
# build/browser/history.png (exported page) and build/browser/history-live.png
# (the live notebook).
#
# Installs what it needs on Debian (chromium, Jupyter, npm for ECharts) when
# missing. With CI=true a missing piece is a failure, never a skip.
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
py=/usr/bin/python3
if ! $py -c 'import notebook, nbconvert, nbformat, nbclient' 2>/dev/null; then
  apt_install jupyter-notebook jupyter-nbconvert python3-nbclient python3-jupyter-client python3-ipykernel jupyter-core python3-nbformat
fi
kernel=${DLNB_KERNEL_NAME:-dlnb}
# The project's runtime (tools, warm caches, the kernelspec), with the kernelspec kept under build/
# as the notebook stage does, so the test never touches the user's own Jupyter setup.
export DLNB_JUPYTER_DATA_DIR=$root/build/jupyter
bash scripts/setup.sh
export JUPYTER_PATH=$DLNB_JUPYTER_DATA_DIR JUPYTER_RUNTIME_DIR=$DLNB_JUPYTER_DATA_DIR/runtime
nbdir=$out/nb
mkdir -p "$nbdir"
cp plotting/testdata/charts.ipynb "$nbdir/charts.ipynb"

# --- 4. Headless execution (nbconvert --execute), exported to HTML -------------------------------
t=$(date +%s)
$py -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
  --ExecutePreprocessor.kernel_name="$kernel" --output-dir "$out/executed" "$nbdir/charts.ipynb" >/dev/null 2>"$out/nbconvert-execute.log" ||
  { cat "$out/nbconvert-execute.log" >&2; exit 1; }
$py -m nbconvert --to html --output-dir "$out/executed" "$out/executed/charts.ipynb" >/dev/null 2>>"$out/nbconvert-execute.log"
say "nbconvert --execute: $(( $(date +%s) - t )) s"
check -label executed-export -want "$nbcharts" -progress -strict=false "file://$out/executed/charts.html"

# --- 2. The live notebook: the Notebook server, Run All from the browser ---------------------------
port=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
root_flag=()
[ "$(id -u)" = 0 ] && root_flag=(--allow-root)
$py -m notebook "${root_flag[@]}" --no-browser --ip=127.0.0.1 --port="$port" --NotebookApp.token="$token" \
  --NotebookApp.open_browser=False --notebook-dir="$nbdir" >"$out/notebook-server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  if $py -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/api/kernelspecs?token=$token', timeout=2)" 2>/dev/null; then
    break
  fi
  kill -0 "$server" 2>/dev/null || { cat "$out/notebook-server.log" >&2; exit 1; }
  sleep 0.5
done
t=$(date +%s)
check -label live -notebook -run -save -progress -want "$nbcharts" "http://127.0.0.1:$port/notebooks/charts.ipynb?token=$token"
say "live notebook: $(( $(date +%s) - t )) s"
cp "$out/shots/live-01.png" "$out/history-live.png" # the history chart as drawn in the live notebook

# The saved notebook reopened (trusted: its outputs were made in a session): the charts draw from
# the saved outputs, without running anything.
check -label reopened -notebook -want "$nbcharts" "http://127.0.0.1:$port/notebooks/charts.ipynb?token=$token"

# --- 3. The live notebook, saved and exported by nbconvert -----------------------------------------
$py -m nbconvert --to html --output-dir "$out/export" "$nbdir/charts.ipynb" >/dev/null 2>"$out/nbconvert-html.log"
check -label live-export -want "$nbcharts" -progress -strict=false "file://$out/export/charts.html"

# --- 5. Untrusted: a copy whose signature Jupyter has not seen --------------------------------------
$py - "$nbdir/charts.ipynb" "$nbdir/untrusted.ipynb" <<'EOF'
import sys, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
nb.metadata["dlnb_untrusted_copy"] = True  # a new signature: not in the trust database
nbformat.write(nb, sys.argv[2])
EOF
check -label untrusted -notebook -expect static -want "$nbcharts" "http://127.0.0.1:$port/notebooks/untrusted.ipynb?token=$token"

say "all browser checks passed in $(( $(date +%s) - t0 )) s; screenshots in $out/shots"

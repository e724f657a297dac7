#!/usr/bin/env bash
# Lessons in a real browser, as a student sees them: starts JupyterLab 4 the way `make lab` does
# (scripts/lab.sh, from the project's environment build/venv/jupyter, with a token and a kernelspec
# of its own under build/), and for every lesson (notebooks/0*.ipynb) and exercise notebook
# (notebooks/exercises/*.ipynb) scripts/browsercheck, in headless Chromium,
#   - opens it from JupyterLab's file browser (selecting the kernel if JupyterLab asks),
#   - clears it and runs every cell from the menus (Edit > Clear Outputs, Run > Run All Cells),
#   - waits until every code cell has its execution count and the kernel is idle,
# and fails on
#   - any error output (or stderr) in a cell,
#   - a chart that did not draw (an ECharts canvas of some size inside each chart's div, no chart
#     script error), or fewer charts than the table below says,
#   - a live progress display (plotting.Progress, updated in place with gonbui's display updates)
#     that the browser did not see updated at least twice while its cell ran, or that did not
#     reach "Done:",
#   - a script error from the outputs (JupyterLab's own console noise is printed, not counted).
# Then the same for one lesson in Notebook 7 (/tree, /notebooks/PATH), and the progress lesson
# behind a hub's URL prefix (--ServerApp.base_url=/user/student1/), over HTTP and over HTTPS
# (a self-signed certificate made with openssl).
# Screenshots of every lesson, page by page, and of each chart: build/lesson-screens/shots.
#
#   bash scripts/test-lesson-screens.sh                                      every notebook in the table
#   bash scripts/test-lesson-screens.sh 07-validation-early-stopping.ipynb   just these (no extra runs)
#
# The repository is never written: JupyterLab serves a copy of notebooks/ (build/lesson-screens/
# notebooks), with autosave off (settings in a private JUPYTER_CONFIG_DIR), and the check fails
# if any file under notebooks/ changed. apt-get only for Chromium, fonts and openssl; Jupyter
# comes from uv.lock (scripts/setup.sh). Without Chromium and no apt-get it skips, saying why;
# with CI=true a missing piece is a failure.
set -euo pipefail
# shellcheck source=scripts/runtime-env.sh
. "$(dirname "$0")/runtime-env.sh"
cd "$DLNB_ROOT"
out=$DLNB_ROOT/build/lesson-screens
say() { echo "test-lesson-screens: $*"; }
fail() { echo "test-lesson-screens: FAIL: $*" >&2; exit 1; }
missing() {
  [ "${CI:-}" = true ] && fail "$1 (CI=true: a missing piece is a failure)"
  say "SKIP: $1; the lessons were NOT checked in a browser"
  exit 0
}
t_start=$(date +%s)

# notebook (under notebooks/) | the least number of charts it must draw | the least number of live
# updates of each progress display it shows (empty: it has none). A notebook with charts adds a line.
table='
00-welcome.ipynb|1|
01-forward-propagation.ipynb|3|
02-gradient-descent.ipynb|2|
03-backpropagation.ipynb|3|
04-first-model.ipynb|2|
05-classification.ipynb|3|
06-optimization.ipynb|4|
07-validation-early-stopping.ipynb|2|2
08-comparing-models.ipynb|2|
09-model-capacity.ipynb|4|2
exercises/01-forward-propagation.ipynb|0|
exercises/02-gradient-descent.ipynb|0|
exercises/04-first-model.ipynb|0|
exercises/07-validation-early-stopping.ipynb|0|
'
# The lesson the extra runs (Notebook 7, the URL prefix, HTTPS) use: it has a live progress chart.
extra=07-validation-early-stopping.ipynb

lessons=("$@")
all=0
if [ ${#lessons[@]} -eq 0 ]; then
  all=1
  while IFS='|' read -r nb _; do
    if [ -n "$nb" ]; then lessons+=("$nb"); fi
  done <<<"$table"
fi
for nb in "${lessons[@]}"; do
  grep -q "^$nb|" <<<"$table" || fail "$nb is not in the table of $0 (add a line: name|charts|progress)"
  [ -f "notebooks/$nb" ] || fail "no notebooks/$nb"
done
if [ $all = 1 ]; then
  # Every lesson and exercise notebook is in the table: a new one cannot slip past the check.
  for f in notebooks/0*.ipynb notebooks/exercises/*.ipynb; do
    grep -q "^${f#notebooks/}|" <<<"$table" || fail "$f is not in the table of $0 (add a line: name|charts|progress)"
  done
fi

# --- What the check needs (Debian packages: the browser, its fonts, openssl) ----------------------
apt_install() {
  dlnb_can_apt || missing "$* not installed, and no apt-get (or no root/sudo) to install it"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  say "installing $* (Debian packages)"
  $sudo apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "$@" >/dev/null ||
    { $sudo apt-get -o DPkg::Lock::Timeout=600 update >/dev/null &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "$@" >/dev/null; }
}
command -v chromium >/dev/null 2>&1 || apt_install chromium fonts-dejavu-core
command -v openssl >/dev/null 2>&1 || apt_install openssl
dlnb_find_go
rm -rf "$out"
mkdir -p "$out/shots"
(cd scripts/browsercheck && go build -o "$out/browsercheck" .)

# The project's runtime (JupyterLab from uv.lock, GoNB, warm caches), with the kernelspec under
# build/ so that the check neither needs nor changes the user's own Jupyter setup.
export DLNB_JUPYTER_DATA_DIR=$out/jupyter
bash scripts/setup.sh >"$out/setup.log" 2>&1 || { cat "$out/setup.log" >&2; fail "scripts/setup.sh failed"; }
dlnb_find_python || fail "setup.sh ran but $DLNB_VENV cannot import $DLNB_JUPYTER_MODULES"
export DLNB_PYTHON
export JUPYTER_PATH=$DLNB_JUPYTER_DATA_DIR JUPYTER_DATA_DIR=$out/data JUPYTER_RUNTIME_DIR=$out/runtime

# --- Leave notebooks/ as it was ----------------------------------------------------------------------
snapshot() {
  (cd notebooks && find . -path '*/.ipynb_checkpoints' -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}
before=$(snapshot)
# JupyterLab serves a copy (lessons save their models next to themselves).
root=$out/notebooks
cp -R notebooks "$root"

# Jupyter's configuration for this check only: JupyterLab's (and Notebook 7's) user settings, with
# autosave off and no news fetched from the internet (the window is offline).
export JUPYTER_CONFIG_DIR=$out/config
settings=$JUPYTER_CONFIG_DIR/lab/user-settings/@jupyterlab
mkdir -p "$settings/docmanager-extension" "$settings/apputils-extension"
echo '{"autosave": false}' >"$settings/docmanager-extension/plugin.jupyterlab-settings"
echo '{"fetchNews": "false", "checkForUpdates": false}' >"$settings/apputils-extension/notification.jupyterlab-settings"

# --- JupyterLab, started as `make lab` starts it -------------------------------------------------------
servers=()
finish() {
  for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${servers[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap finish EXIT
free_port() { "$DLNB_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# start NAME URL_SCHEME BASE_URL [ARGS...]: starts scripts/lab.sh on the copy; sets $url (with the
# base URL, ending in /) and $token.
start() {
  local name=$1 scheme=$2 base=$3
  shift 3
  local port
  port=$(free_port)
  token=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  DLNB_LAB_ROOT=$root JUPYTER_TOKEN=$token bash scripts/lab.sh --no-browser --ip 127.0.0.1 --port "$port" \
    --ServerApp.base_url="$base" "$@" >"$out/$name.log" 2>&1 &
  servers+=($!)
  url=$scheme://127.0.0.1:$port$base
  local i
  for i in $(seq 240); do
    curl -sfk -H "Authorization: token $token" "${url}api/status" >/dev/null 2>&1 && break
    kill -0 "${servers[-1]}" 2>/dev/null || { cat "$out/$name.log" >&2; fail "scripts/lab.sh ($name) exited (log: $out/$name.log)"; }
    [ "$i" = 240 ] && { cat "$out/$name.log" >&2; fail "JupyterLab ($name) did not answer in 240 s"; }
    sleep 1
  done
  grep -q "lab: starting JupyterLab 4\." "$out/$name.log" || fail "lab.sh ($name) did not start JupyterLab 4: $(grep 'starting' "$out/$name.log" || true)"
  grep -q "Serving notebooks from local directory: $root" "$out/$name.log" || fail "JupyterLab ($name) does not serve the copy $root"
  curl -sfk -H "Authorization: token $token" "${url}lab/api/settings/@jupyterlab/docmanager-extension:plugin" | grep -q '"autosave": *false' ||
    fail "JupyterLab ($name) does not have autosave off (settings in $JUPYTER_CONFIG_DIR)"
  say "JupyterLab ($name) on $url"
}

failed=()
# check UI URL NB FLAGS...: one notebook in the browser.
check() {
  local ui=$1 u=$2 nb=$3 label=$4
  shift 4
  local want progress t
  IFS='|' read -r _ want progress <<<"$(grep "^$nb|" <<<"$table")"
  local flags=(-out "$out/shots" -label "$label" -jupyter "$ui" -token "$token" -path "$nb" -run -want "$want" "$@")
  if [ -n "$progress" ]; then flags+=(-progress "$progress"); fi
  t=$(date +%s)
  if "$out/browsercheck" "${flags[@]}" "$u" >"$out/$label.log" 2>&1; then
    sed 's/^/  /' "$out/$label.log" | grep -v "JupyterLab's own" || true
    say "ok   $label in $(($(date +%s) - t)) s"
  else
    sed 's/^/  /' "$out/$label.log" >&2
    say "FAIL $label in $(($(date +%s) - t)) s (log: $out/$label.log)"
    failed+=("$label")
  fi
}

# --- Each notebook in JupyterLab -----------------------------------------------------------------------
start lab http / 
for nb in "${lessons[@]}"; do
  label=${nb%.ipynb}
  check lab "$url" "$nb" "${label//\//-}"
done
# --- One lesson in Notebook 7, on the same server (its UI is JupyterLab's components) -------------------
if [ $all = 1 ]; then
  check notebook "$url" "$extra" "notebook7-${extra%.ipynb}"

  # --- Behind a hub's URL prefix, then over HTTPS too: the live progress must still update ----------------
  start prefix http /user/student1/
  check lab "$url" "$extra" "prefix-${extra%.ipynb}"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$out/tls.key" -out "$out/tls.crt" >/dev/null 2>&1 || fail "openssl could not make a self-signed certificate"
  start https https /user/student1/ --ServerApp.certfile="$out/tls.crt" --ServerApp.keyfile="$out/tls.key"
  check lab "$url" "$extra" "https-prefix-${extra%.ipynb}"
fi

if [ "$(snapshot)" != "$before" ]; then
  diff <(echo "$before") <(snapshot) >&2 || true
  fail "the browser run changed files under notebooks/ (above): restore them with git checkout"
fi
[ ${#failed[@]} -eq 0 ] || fail "in the browser: ${failed[*]} (screenshots in $out/shots, logs in $out)"
say "all ${#lessons[@]} notebooks ran in JupyterLab 4 with their charts drawn$([ $all = 1 ] && echo ", and $extra in Notebook 7, under /user/student1/ and over HTTPS"); $(($(date +%s) - t_start)) s; screenshots in $out/shots"

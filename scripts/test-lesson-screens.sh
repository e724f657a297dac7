#!/usr/bin/env bash
# Lessons in a real browser, as a student sees them: starts Jupyter the way `make lab` does
# (scripts/lab.sh, with a token and a kernelspec of its own under build/), opens each lesson in
# headless Chromium, runs every cell FROM THE BROWSER ("Run All", with the real GoNB kernel), and
# checks with scripts/browsercheck that
#   - no cell shows an error,
#   - every chart drew (an ECharts canvas of some size inside each chart's div, no chart script
#     error), at least as many charts as the table below says,
#   - a live progress display (plotting.Progress) reached "Done:" where the lesson has one.
# Screenshots of every chart and of each page land in build/lesson-screens/shots: look at them.
#
#   bash scripts/test-lesson-screens.sh                                      every lesson in the table
#   bash scripts/test-lesson-screens.sh 07-validation-early-stopping.ipynb   just these
#
# `make lab` serves the repository's notebooks/, so the lessons run there, as a student runs them.
# The check leaves the repository as it found it: the Notebook pages it opens have autosave turned
# off (a custom.js in a private JUPYTER_CONFIG_DIR), it fails if any file under notebooks/ changed,
# and it puts back the *.model.json files that were there before (lessons write theirs next to
# themselves; git ignores them). Installs Chromium and Jupyter on Debian when missing; without
# them and without apt it skips, saying why, and with CI=true a missing piece is a failure.
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

# lesson | the least number of charts it must draw | "progress" if it has a live progress display.
# A lesson with charts adds a line here.
table='
00-welcome.ipynb|1|
01-forward-propagation.ipynb|3|
02-gradient-descent.ipynb|2|
03-backpropagation.ipynb|3|
04-first-model.ipynb|2|
05-classification.ipynb|3|
06-optimization.ipynb|4|
07-validation-early-stopping.ipynb|2|progress
08-comparing-models.ipynb|2|
09-model-capacity.ipynb|4|progress
'
lessons=("$@")
if [ ${#lessons[@]} -eq 0 ]; then
  while IFS='|' read -r nb _; do
    if [ -n "$nb" ]; then lessons+=("$nb"); fi
  done <<<"$table"
fi
for nb in "${lessons[@]}"; do
  grep -q "^$nb|" <<<"$table" || fail "$nb is not in the table of $0 (add a line: name|charts|progress)"
  [ -f "notebooks/$nb" ] || fail "no notebooks/$nb"
done

# --- What the check needs --------------------------------------------------------------------------
apt_install() {
  dlnb_can_apt || missing "$* not installed, and no apt-get (or no root/sudo) to install it"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  say "installing $* (Debian packages)"
  $sudo apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "$@" >/dev/null ||
    { $sudo apt-get -o DPkg::Lock::Timeout=600 update >/dev/null &&
      DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "$@" >/dev/null; }
}
command -v chromium >/dev/null 2>&1 || apt_install chromium
# shellcheck disable=SC2086 # a list of packages
dlnb_find_python || apt_install $DLNB_JUPYTER_APT
dlnb_find_python || fail "no Python can import $DLNB_JUPYTER_MODULES"
"$DLNB_PYTHON" -c 'import notebook' 2>/dev/null || apt_install jupyter-notebook
dlnb_find_go
rm -rf "$out"
mkdir -p "$out/shots"
(cd scripts/browsercheck && go build -o "$out/browsercheck" .)

# --- Leave notebooks/ as it was ----------------------------------------------------------------------
# What is there now (every file but the models), and the models, kept aside and put back at the end.
snapshot() {
  (cd notebooks && find . -path '*/.ipynb_checkpoints' -prune -o -type f ! -name '*.model.json' -print0 |
    LC_ALL=C sort -z | xargs -0 sha256sum)
}
before=$(snapshot)
(cd notebooks && find . -name '*.model.json' -print0 | tar cf "$out/models-before.tar" --null -T -)
restore_models() {
  (cd "$DLNB_ROOT/notebooks" && find . -name '*.model.json' -delete && tar xf "$out/models-before.tar")
}

# Jupyter's configuration for this check only: autosave off, so that nothing the browser runs is
# saved into notebooks/ (Notebook 6 saves a changed notebook every 2 minutes otherwise).
export JUPYTER_CONFIG_DIR=$out/config
mkdir -p "$JUPYTER_CONFIG_DIR/custom"
cat >"$JUPYTER_CONFIG_DIR/custom/custom.js" <<'JS'
// Written by scripts/test-lesson-screens.sh: the browser check must never save a lesson.
define(['base/js/namespace', 'base/js/events'], function (Jupyter, events) {
  function off() {
    if (Jupyter.notebook && Jupyter.notebook.autosave_interval) {
      Jupyter.notebook.set_autosave_interval(0);
    }
  }
  events.on('autosave_enabled.Notebook', off);
  events.on('notebook_loaded.Notebook', off);
  off();
});
JS

# --- Jupyter, started as `make lab` starts it --------------------------------------------------------
export DLNB_JUPYTER_DATA_DIR=$out/jupyter
export JUPYTER_PATH=$DLNB_JUPYTER_DATA_DIR JUPYTER_RUNTIME_DIR=$DLNB_JUPYTER_DATA_DIR/runtime
export DLNB_PYTHON
token=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
port=$("$DLNB_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
JUPYTER_TOKEN=$token bash scripts/lab.sh --no-browser --ip 127.0.0.1 --port "$port" >"$out/lab.log" 2>&1 &
server=$!
finish() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  restore_models
}
trap finish EXIT
url=http://127.0.0.1:$port
for i in $(seq 240); do
  "$DLNB_PYTHON" -c "import urllib.request as u; u.urlopen('$url/api/contents?token=$token', timeout=2)" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$out/lab.log" >&2; fail "scripts/lab.sh exited (log: $out/lab.log)"; }
  [ "$i" = 240 ] && { cat "$out/lab.log" >&2; fail "Jupyter did not answer in 240 s"; }
  sleep 1
done
grep -q 'starting Jupyter (notebook)' "$out/lab.log" ||
  fail "lab.sh did not start the classic Notebook, which browsercheck drives: $(grep 'starting Jupyter' "$out/lab.log" || true)"
"$DLNB_PYTHON" -c "import urllib.request as u, sys; sys.exit(b'test-lesson-screens' not in u.urlopen('$url/custom/custom.js?token=$token').read())" ||
  fail "the Notebook server does not serve the custom.js that turns autosave off"
say "Jupyter (scripts/lab.sh) on $url"

# --- Each lesson: Run All in the browser, then check the charts ---------------------------------------
failed=()
for nb in "${lessons[@]}"; do
  IFS='|' read -r _ want progress <<<"$(grep "^$nb|" <<<"$table")"
  flags=(-out "$out/shots" -label "${nb%.ipynb}" -notebook -run -want "$want")
  if [ "$progress" = progress ]; then flags+=(-progress); fi
  t=$(date +%s)
  if "$out/browsercheck" "${flags[@]}" "$url/notebooks/$nb?token=$token"; then
    say "ok   $nb in $(($(date +%s) - t)) s"
  else
    failed+=("$nb")
  fi
done
if [ "$(snapshot)" != "$before" ]; then
  diff <(echo "$before") <(snapshot) >&2 || true
  fail "the browser run changed files under notebooks/ (above): restore them with git checkout"
fi
[ ${#failed[@]} -eq 0 ] || fail "in the browser: ${failed[*]} (screenshots in $out/shots)"
say "all ${#lessons[@]} lessons ran in the browser with their charts drawn; screenshots in $out/shots"

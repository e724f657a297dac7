#!/usr/bin/env bash
# The nbgrader stage of `make test` (issue 15): real nbgrader 0.9.6 (from uv.lock, dependency group
# "nbgrader", in build/venv/nbgrader) with the real GoNB kernel grades the four assignments of the
# course directory notebooks/exercises/nbgrader/, each for four students (complete, partial, one
# that does not compile, one who hands in the released notebook): generate_assignment, autograde,
# generate_feedback, export. scripts/test_nbgrader.py checks every test cell's score, the feedback
# and the CSV; scripts/formgrader_check.py, the scores the formgrader serves.
#
#   bash scripts/test-nbgrader.sh           the course is copied to build/nbgrader-course/ (not in git)
#
# Without a way to make the environment it skips locally, saying why; with CI=true it fails.
set -euo pipefail
# shellcheck source=scripts/runtime-env.sh
. "$(dirname "$0")/runtime-env.sh"
cd "$DLNB_ROOT"
fail() { echo "test-nbgrader: FAIL: $*" >&2; exit 1; }

if ! { command -v curl && command -v python3; } >/dev/null 2>&1 && ! [ -x build/venv/nbgrader/bin/nbgrader ]; then
  [ "${CI:-}" = true ] && fail "no curl + python3 to make build/venv/nbgrader from uv.lock (CI=true)"
  echo "test-nbgrader: SKIP: no curl + python3 to make build/venv/nbgrader; nbgrader was NOT tested"
  exit 0
fi

# The kernel (and the Go tools, caches) as the notebook stage makes them, in the build dir.
export DLNB_JUPYTER_DATA_DIR=$DLNB_ROOT/build/jupyter
bash scripts/setup.sh >/dev/null
export JUPYTER_PATH=$DLNB_JUPYTER_DATA_DIR JUPYTER_DATA_DIR=$DLNB_JUPYTER_DATA_DIR JUPYTER_RUNTIME_DIR=$DLNB_JUPYTER_DATA_DIR/runtime
[ -f "$DLNB_JUPYTER_DATA_DIR/kernels/$DLNB_KERNEL_NAME/kernel.json" ] || fail "setup.sh wrote no kernel $DLNB_KERNEL_NAME"

# nbgrader's environment: the project's lock with the nbgrader group, remade when the lock changes.
venv=$DLNB_ROOT/build/venv/nbgrader
stamp=$venv/.dlnb-lock-stamp
want=$( (cat pyproject.toml uv.lock) | (sha256sum 2>/dev/null || shasum -a 256) | cut -c1-16)
if ! [ -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! "$venv/bin/python" -c 'import nbgrader' 2>/dev/null; then
  uv=$(bash scripts/uv.sh)
  UV_PROJECT_ENVIRONMENT=$venv "$uv" sync --locked --project "$DLNB_ROOT" --group nbgrader --quiet ||
    fail "making $venv from uv.lock (group nbgrader) failed; is PyPI reachable?"
  printf '%s\n' "$want" >"$stamp.tmp" && mv "$stamp.tmp" "$stamp"
fi
echo "test-nbgrader: $("$venv/bin/nbgrader" --version 2>&1 | grep 'nbgrader version'), JupyterLab $("$venv/bin/python" -c 'import jupyterlab; print(jupyterlab.__version__)')"

# The source notebooks are what mkexercises makes from the solutions.
go run ./exercises/mkexercises -check >/dev/null || fail "the nbgrader source notebooks are out of date: go run ./exercises/mkexercises"

course=$DLNB_ROOT/build/nbgrader-course
rm -rf "$course"
mkdir -p "$course"
cp notebooks/exercises/nbgrader/nbgrader_config.py "$course/"
cp -R notebooks/exercises/nbgrader/source "$course/"
# GoNB logs to stderr: keep it in a file, show it on failure.
if ! "$venv/bin/python" scripts/test_nbgrader.py "$course" "$@" 2>"$course/test.log"; then
  grep -v '^[IWE][0-9]\{4\} \|^\s*/root/go/\|^github.com/\|^goroutine \|^runtime\.\|^main\.' "$course/test.log" | tail -40 >&2
  fail "see above (full log: $course/test.log)"
fi
# The formgrader (nbgrader's server extension in a Jupyter server of that environment) sees the scores.
# The expected scores are test_nbgrader.py's (SCENARIOS), which it has just checked in gradebook.db
# (brace expansion makes one ASSIGNMENT:STUDENT=SCORE argument per student).
"$venv/bin/python" scripts/formgrader_check.py "$course" \
  01-forward-propagation:{complete=11,partial=8,broken=2,untouched=0} \
  02-gradient-descent:{complete=11,partial=6,broken=8,untouched=0} \
  04-first-model:{complete=7,partial=4,broken=3,untouched=0} \
  07-validation-early-stopping:{complete=6,partial=4,broken=2,untouched=0} ||
  fail "the formgrader (log: $course/formgrader-server.log)"
echo "test-nbgrader: passed (course copy in $course)"

# shellcheck shell=bash disable=SC2154 # root, port, work, klass: test-class.sh's
# nbgrader on the class hub (sourced by scripts/test-class.sh, which calls class_grading_check
# once the hub is up): an assignment released, fetched, submitted, collected, autograded and
# fed back on the real hub with the real image (scripts/class_grading_test.py: the instructor and
# two students, alice answering everything and bob part of it, each in their own server), then
# in headless Chromium (scripts/browsercheck):
#   1. the instructor opens the formgrader in their JupyterLab (Nbgrader > Formgrader, the
#      assignment's Manage Submissions) and reads each student's score: it must be exactly the
#      points scripts/test_nbgrader.py's SCENARIOS give (DLNB_GRADING_EXPECT="alice=11,bob=9"
#      replaces them, to see the check fail);
#   2. bob's JupyterLab has the Assignments tab (listing the assignment) and no formgrader.
# Then the three servers are stopped. Screenshots and logs in build/class-test/grading. Uses:
# $root, $port, $work, $klass, $DLNB_CLASS_STATE, $DLNB_CLASS_PYTHON, say and die of test-class.sh.

class_grading_check() {
  local assignment=01-forward-propagation out=$root/build/class-test/grading t0 scores
  rm -rf "$out"
  mkdir -p "$out"
  t0=$(date +%s)
  "$DLNB_CLASS_PYTHON" scripts/class_grading_test.py --url "https://localhost:$port" \
    --admin-password-file "$DLNB_CLASS_STATE/instructor-password" --prefix "$klass" --work "$work" \
    --assignment "$assignment" >"$out/grading.log" 2>&1 ||
    { cat "$out/grading.log" >&2; die "nbgrader on the class hub (log: $out/grading.log)"; }
  grep '^class-grading: ' "$out/grading.log" | sed 's/^/  /'
  scores=$(sed -n 's/^class-grading: scores //p' "$out/grading.log")
  [ -n "$scores" ] || die "scripts/class_grading_test.py printed no scores (log: $out/grading.log)"
  say "nbgrader: released, fetched, submitted, collected, autograded, fed back and exported $assignment in $(($(date +%s) - t0)) s (scores $scores)"
  command -v chromium >/dev/null 2>&1 ||
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium fonts-dejavu-core >/dev/null ||
    die "chromium is missing and apt-get could not install it (the formgrader check)"
  [ -x "$work/browsercheck" ] || (cd scripts/browsercheck && go build -o "$work/browsercheck" .) || die "building scripts/browsercheck failed"
  t0=$(date +%s)
  "$work/browsercheck" -hub "https://localhost:$port/" -hub-user instructor -hub-password-file "$DLNB_CLASS_STATE/instructor-password" \
    -formgrader "$assignment" -formgrader-scores "${DLNB_GRADING_EXPECT:-$scores}" -label formgrader -out "$out" -timeout 6m \
    "https://localhost:$port/user/instructor/" >"$out/formgrader.log" 2>&1 ||
    { tail -20 "$out/formgrader.log" >&2; die "in the browser, the instructor's formgrader does not show the scores ${DLNB_GRADING_EXPECT:-$scores} (log and screenshots: $out)"; }
  sed -n '/the formgrader (JupyterLab/,$p' "$out/formgrader.log" | sed 's/^/  /'
  say "browser: the instructor's formgrader in JupyterLab shows every student's score ($(($(date +%s) - t0)) s)"
  t0=$(date +%s)
  "$work/browsercheck" -hub "https://localhost:$port/" -hub-user bob -hub-password-file "$work/bob-password" \
    -no-formgrader "$assignment" -label student-bob -out "$out" -timeout 6m \
    "https://localhost:$port/user/bob/" >"$out/student-bob.log" 2>&1 ||
    { tail -20 "$out/student-bob.log" >&2; die "in the browser, bob's JupyterLab (log and screenshots: $out)"; }
  say "browser: bob's JupyterLab has the Assignments tab with $assignment and no formgrader ($(($(date +%s) - t0)) s)"
  "$DLNB_CLASS_PYTHON" scripts/class_grading_test.py --url "https://localhost:$port" \
    --admin-password-file "$DLNB_CLASS_STATE/instructor-password" --prefix "$klass" --work "$work" --stop ||
    die "stopping the grading test's servers"
}

# shellcheck shell=bash disable=SC2154 # root, port, work: test-class.sh's
# The class hub in a real browser (sourced by scripts/test-class.sh, which calls
# class_browser_check once scripts/class_test.py has passed): in headless Chromium
# (scripts/browsercheck),
#   1. a student logs in at the hub's login form over HTTPS (the self-signed certificate of the
#      test's hub); the hub starts their server if it is not running and sends the browser to
#      their JupyterLab 4, where the welcome lesson (~/lessons/00-welcome.ipynb, seeded by the
#      image) is opened from the file browser and run from the menus (Run > Run All Cells): it
#      fails on any error output, a chart that did not draw, a script error;
#   2. the instructor logs in and opens the admin page (/hub/admin): it must list that student
#      with a running server.
# Screenshots and logs in build/class-test/browser. Uses: $root, $port, $work, $DLNB_CLASS_STATE,
# $DLNB_CLASS_PYTHON, say and die of test-class.sh.

# class_browser_check STUDENT PASSWORD: the student must exist and be approved (class_test.py's).
class_browser_check() {
  local student=$1 password=$2 out=$root/build/class-test/browser t0 token
  rm -rf "$out"
  mkdir -p "$out"
  command -v chromium >/dev/null 2>&1 ||
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium fonts-dejavu-core >/dev/null ||
    die "chromium is missing and apt-get could not install it (the browser check of the class hub)"
  (cd scripts/browsercheck && go build -o "$work/browsercheck" .) || die "building scripts/browsercheck failed"
  (umask 077 && printf '%s\n' "$password" >"$work/$student-password")
  # A token of the student's for the driver's REST reads (the notebook's cells, its kernel at the
  # end); the browser's pages are reached through the login alone.
  token=$(PYTHONPATH=scripts "$DLNB_CLASS_PYTHON" -c 'import sys; from jupyter_api import Hub
h = Hub(sys.argv[1]); h.login(sys.argv[2], open(sys.argv[3]).read().strip()); print(h.token)' \
    "https://localhost:$port" "$student" "$work/$student-password") || die "$student cannot log in for a token"
  t0=$(date +%s)
  "$work/browsercheck" -hub "https://localhost:$port/" -hub-user "$student" -hub-password-file "$work/$student-password" \
    -jupyter lab -token "$token" -path lessons/00-welcome.ipynb -run -want 1 -label "class-$student" -out "$out" \
    -timeout 8m "https://localhost:$port/user/$student/" >"$out/$student.log" 2>&1 ||
    { tail -40 "$out/$student.log" >&2; die "in the browser, $student's login and welcome lesson failed (log and screenshots: $out)"; }
  grep 'logged in at' "$out/$student.log" | sed 's/^/  /'
  say "browser: $student logged in over HTTPS and ran the welcome lesson in JupyterLab 4 in $(($(date +%s) - t0)) s"
  t0=$(date +%s)
  "$work/browsercheck" -hub "https://localhost:$port/" -hub-user instructor -hub-password-file "$DLNB_CLASS_STATE/instructor-password" \
    -hub-admin-sees "$student" -label class-instructor -out "$out" "https://localhost:$port/" >"$out/instructor.log" 2>&1 ||
    { tail -20 "$out/instructor.log" >&2; die "in the browser, the instructor's admin page does not show $student running (log and screenshots: $out)"; }
  say "browser: the instructor sees $student's running server on the admin page ($(($(date +%s) - t0)) s)"
}

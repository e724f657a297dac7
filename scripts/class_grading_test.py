"""nbgrader on the class hub, end to end (scripts/test-class.sh runs it; docker/class/README.md,
"Assignments"): what notebooks/exercises/README.md tells a teacher to do, on the real hub with the
real image, the commands typed in each person's server (docker exec, as in a JupyterLab terminal):

  1. the instructor logs in, approves two students, and in ~/course (the course directory the hub
     mounts, seeded with the four Go assignments) runs `nbgrader generate_assignment` and
     `nbgrader release_assignment` for ASSIGNMENT;
  2. each student `nbgrader fetch_assignment`s it, answers it (saved through their server's
     contents API, as JupyterLab saves: the complete student with every solution of the source
     notebook, the partial one leaving some cells as released: scripts/test_nbgrader.py's
     SCENARIOS) and `nbgrader submit`s it;
  3. what each student's server cannot see: the other's submission, the course directory, a
     writable outbound; then the partial student submits again under the other's name
     (JUPYTERHUB_USER changed in the terminal), which collect must skip;
  4. the instructor runs `nbgrader collect`, `autograde` (the Go kernel, in their server),
     `generate_feedback`, `release_feedback`, `export`; every score in grades.csv must be the
     expected points; each student `fetch_feedback`s their page, which has their score.

  class_grading_test.py --url URL --admin-password-file F --prefix CLASS --work DIR [--assignment A]

It ends with the line "class-grading: scores STUDENT=POINTS,..." (what the browser's formgrader
check must see), and leaves the three servers running; --stop stops them. Exit status 1 with a message on any failure.
"""
import argparse
import csv
import html
import io
import json
import os
import re
import subprocess
import sys
import threading
import time

from jupyter_api import Failure, Hub
import test_nbgrader

EXCHANGE = "/srv/nbgrader/exchange/dlnb"
# The two students: their accounts, and who they are in SCENARIOS.
STUDENTS = {"alice": "complete", "bob": "partial"}
PASSWORD = "grading-test-pw-"  # + the name


def say(msg):
    print("class-grading: " + msg, flush=True)


def sh(container, script, check=True, env=None):
    """Runs script with bash in container, as its notebook user in ~ (a terminal's shell)."""
    cmd = [os.environ.get("DOCKER", "docker"), "exec", "-w", "/home/jovyan"]
    for k, v in (env or {}).items():
        cmd += ["-e", f"{k}={v}"]
    p = subprocess.run(cmd + [container, "bash", "-c", script], capture_output=True, text=True)
    out = p.stdout + p.stderr
    if check and p.returncode != 0:
        raise Failure(f"in {container}: {script!r} exited {p.returncode}:\n{out[-3000:]}")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True)
    ap.add_argument("--admin", default="instructor")
    ap.add_argument("--admin-password-file", required=True)
    ap.add_argument("--prefix", required=True, help="the hub's DLNB_CLASS_NAME (containers are PREFIX-USER)")
    ap.add_argument("--work", required=True, help="a directory for the students' password files")
    ap.add_argument("--assignment", default="01-forward-propagation")
    ap.add_argument("--source", default="notebooks/exercises/nbgrader/source",
                    help="the course's source notebooks (for the solutions the complete student copies)")
    ap.add_argument("--stop", action="store_true", help="only stop the three servers (after the browser checks)")
    a = ap.parse_args()
    A = a.assignment
    t0 = time.monotonic()
    box = lambda n: f"{a.prefix}-{n}"  # noqa: E731

    teacher = Hub(a.url)
    teacher.login(a.admin, open(a.admin_password_file).read().strip())
    if a.stop:
        for n in [*STUDENTS, a.admin]:
            teacher.api("DELETE", f"/users/{n}/server", ok=(202, 204, 400))
        for n in [*STUDENTS, a.admin]:
            for _ in range(240):
                s = teacher.api("GET", f"/users/{n}")["servers"].get("", {})
                if not s.get("ready") and not s.get("pending"):
                    break
                time.sleep(0.5)
            else:
                raise Failure(f"{n}'s server did not stop in 120 s")
        say(f"stopped the servers of {', '.join([*STUDENTS, a.admin])}")
        return
    hubs = {}
    for n in STUDENTS:
        h = hubs[n] = Hub(a.url)
        h.signup(n, PASSWORD + n)
        teacher.authorize(n)
        h.login(n, PASSWORD + n)
        with open(os.path.join(a.work, n + "-password"), "w") as f:
            os.chmod(f.name, 0o600)
            f.write(PASSWORD + n + "\n")
    # The three servers at once (the hub mounts each one's part of the course as it starts).
    errors = []

    def start(h):
        try:
            h.start_server()
        except Failure as e:
            errors.append(f"{h.name}: {e}")
    threads = [threading.Thread(target=start, args=(h,)) for h in [teacher, *hubs.values()]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise Failure("starting the servers: " + "; ".join(errors))
    say(f"the instructor and {', '.join(STUDENTS)} logged in; servers up in {time.monotonic() - t0:.0f} s")

    # 1. The instructor: generate and release.
    out = sh(box(a.admin), f"cd ~/course && ls source && nbgrader generate_assignment {A} --force "
                           f"&& nbgrader release_assignment {A} --force")
    if f"Released as: dlnb {A}" not in out:
        raise Failure(f"release_assignment did not say it released {A}:\n{out[-2000:]}")
    say(f"instructor: ~/course has the course; generate_assignment and release_assignment {A}")

    # 2. The students: fetch, answer, submit.
    source = json.load(open(os.path.join(a.source, A, A + ".ipynb")))
    nb_path = f"{A}/{A}.ipynb"
    for n, who in STUDENTS.items():
        sh(box(n), f"nbgrader fetch_assignment {A}")
        srv = hubs[n].server()
        release = srv.api("GET", f"/api/contents/{nb_path}?content=1")["content"]
        if "// YOUR CODE HERE" not in json.dumps(release) or "max(0, x)" in json.dumps(release):
            raise Failure(f"{n}'s fetched {nb_path} is not the released notebook (stubs, no solutions)")
        srv.api("PUT", f"/api/contents/{nb_path}",
                {"type": "notebook", "format": "json", "content": test_nbgrader.answered(release, source, A, who)})
        sh(box(n), f"nbgrader submit {A}")
        say(f"{n} ({who}): fetch_assignment, answered in {nb_path}, submit")

    # 3. What each student's server holds of the course: nothing of the other student's.
    for n in STUDENTS:
        other = next(o for o in STUDENTS if o != n)
        listing = sh(box(n), f"ls {EXCHANGE}/inbound").splitlines()
        if len(listing) != 1 or not listing[0].startswith(f"{n}+{A}+"):
            raise Failure(f"{n}'s inbound holds {listing}: want their one submission")
        found = sh(box(n), f"find {EXCHANGE} -name '*{other}*'; test -e ~/course && echo HAS-COURSE; "
                           f"touch {EXCHANGE}/outbound/x 2>/dev/null && echo WRITES-OUTBOUND; true")
        if found.strip():
            raise Failure(f"{n}'s server sees: {found.strip()}")
    say("students: each inbound holds only its own submission, nothing of the other's; no course "
        "directory; outbound read-only")
    # bob hands in another notebook under alice's name (JUPYTERHUB_USER changed in his terminal).
    sh(box("bob"), f"nbgrader submit {A}", env={"JUPYTERHUB_USER": "alice"})

    # 4. The instructor: collect, autograde, feedback, export.
    out = sh(box(a.admin), f"cd ~/course && nbgrader collect {A}")
    if "claims to be alice's" not in out:
        raise Failure(f"collect did not skip the submission bob made under alice's name:\n{out[-2000:]}")
    t1 = time.monotonic()
    sh(box(a.admin), f"cd ~/course && nbgrader autograde {A} --force")
    say(f"instructor: collect (skipped bob's submission under alice's name), autograde {A} in "
        f"{time.monotonic() - t1:.0f} s")
    sh(box(a.admin), f"cd ~/course && nbgrader generate_feedback {A} --force && nbgrader release_feedback {A} "
                     f"&& nbgrader export --to grades.csv")
    rows = list(csv.DictReader(io.StringIO(sh(box(a.admin), "cat ~/course/grades.csv"))))
    want = {n: test_nbgrader.points(A, who) for n, who in STUDENTS.items()}
    got = {r["student_id"]: float(r["score"]) for r in rows if r["assignment"] == A}
    if got != want:
        raise Failure(f"grades.csv: {got}, want {want}")
    say("grades.csv: " + ", ".join(f"{r['student_id']} {float(r['score']):g}/{float(r['max_score']):g}" for r in rows))
    for n in STUDENTS:
        sh(box(n), f"nbgrader fetch_feedback {A}")
        page = sh(box(n), f"cat ~/{A}/feedback/*/{A}.html")
        m = re.search(r"Score:\s*([\d.]+)", html.unescape(re.sub(r"<[^>]+>", "", page)))
        if not m or float(m.group(1)) != want[n]:
            raise Failure(f"{n}'s fetched feedback says {m and m.group(0)!r}, want the score {want[n]:g}")
        if sh(box(n), f"ls -A {EXCHANGE}/feedback | wc -l").strip() != "1":
            raise Failure(f"{n}'s feedback directory in the exchange holds more than their own page")
    say(f"feedback: each student fetched their own page with their score ({time.monotonic() - t0:.0f} s in all)")
    say("scores " + ",".join(f"{n}={want[n]:g}" for n in STUDENTS))


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        print(f"class-grading: FAIL: {e}", file=sys.stderr)
        sys.exit(1)

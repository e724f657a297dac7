"""The nbgrader test (scripts/test-nbgrader.sh runs it): real nbgrader, the real Go kernel.

In a copy of the course directory (notebooks/exercises/nbgrader/) it runs what an instructor does
for assignment 01-forward-propagation: `nbgrader generate_assignment`, three students' submissions
made from the released notebook, `nbgrader autograde`, `nbgrader generate_feedback` and
`nbgrader export`, and checks every test cell's score, the feedback HTML and the grades CSV.

  python scripts/test_nbgrader.py COURSE_COPY [--expect STUDENT=POINTS]   (--expect: to prove it fails)

The students:
  complete  every solution cell answered (the source notebook's solutions): every check passes.
  partial   predictWithNetwork (cell-08) and the nn model (cell-14) left as released: their checks
            fail, and so does "results" (cell-09), which is right code calling the blank predictor.
  broken    everything answered, but relu (cell-05) does not compile. GoNB keeps no declaration of
            a cell that does not compile, so every later cell that uses relu fails to compile too
            (undefined: relu), and so does cell-14, which uses inputRows from cell-08 (a cell that
            uses relu): their test cells score 0, and the feedback shows the compiler's message.
            Only exercise 1 (cell-03, no relu) keeps its 2 points.
"""
import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys

ASSIGNMENT = "01-forward-propagation"
NB = ASSIGNMENT + ".ipynb"
# The four assignments and their points (one per check). A fourth student, "untouched", hands in
# every released notebook as it is: 0 everywhere, and every test cell fails on its check's
# verdict ("FAILED name: not yet"), never on a compile error: the stubs compile.
ASSIGNMENTS = {"01-forward-propagation": 11, "02-gradient-descent": 11, "04-first-model": 7,
               "07-validation-early-stopping": 6}

# Every test cell of the assignment and whether it passes, per student.
ALL_TESTS = [
    "cell-03-test-1", "cell-03-test-2",  # hidden layer, output
    "cell-05-test-1",  # relu
    "cell-06-test-1", "cell-06-test-2",  # with relu: hidden layer, output
    "cell-08-test-1",  # predictWithNetwork
    "cell-09-test-1",  # results
    "cell-12-test-1", "cell-12-test-2", "cell-12-test-3",  # two hidden layers
    "cell-14-test-1",  # the nn model
]
FAILS = {
    "complete": {},
    "partial": {
        "cell-08-test-1": "predictWithNetwork left as released (return 0)",
        "cell-09-test-1": "results calls the blank predictWithNetwork",
        "cell-14-test-1": "the model left as released (an empty model)",
    },
    "broken": {
        "cell-05-test-1": "relu does not compile (cell-05), so exercise05 is undefined",
        "cell-06-test-1": "cell-06 uses relu: it does not compile",
        "cell-06-test-2": "cell-06 uses relu: it does not compile",
        "cell-08-test-1": "predictWithNetwork uses relu: it does not compile",
        "cell-09-test-1": "cell-09 uses predictWithNetwork, which was never defined",
        "cell-12-test-1": "cell-12 uses relu: it does not compile",
        "cell-12-test-2": "cell-12 uses relu: it does not compile",
        "cell-12-test-3": "cell-12 uses relu: it does not compile",
        "cell-14-test-1": "cell-14 uses inputRows, declared in cell-08, which did not compile",
    },
}
BROKEN_RELU = """// relu is the rectified linear activation: its input when positive, 0 otherwise.
func relu(x float64) float64 {
	if x > 0 {
		return x
	}
	return "zero"
}"""
# What the compiler says about BROKEN_RELU, which the feedback must show.
COMPILER_SAYS = 'cannot use "zero" (untyped string constant) as float64 value in return statement'


def fail(msg):
    print("test-nbgrader: FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def nbgrader(course, *args):
    cmd = [os.path.join(os.path.dirname(sys.executable), "nbgrader"), *args]
    print("$ " + " ".join(["nbgrader", *args]), flush=True)
    # nbgrader runs its environment's alembic (the gradebook's migrations) from PATH.
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    p = subprocess.run(cmd, cwd=course, capture_output=True, text=True, env=env)
    log = p.stdout + p.stderr
    if p.returncode != 0:
        print(log)
        fail("nbgrader %s exited %d" % (" ".join(args), p.returncode))
    return log


def cells_by_id(nb):
    return {c["id"]: c for c in nb["cells"]}


def main():
    args = sys.argv[1:]
    if not args:
        fail("usage: test_nbgrader.py COURSE_COPY [--expect STUDENT=POINTS]")
    course = os.path.abspath(args[0])
    override = {}
    if len(args) == 3 and args[1] == "--expect":
        s, p = args[2].split("=")
        override[s] = float(p)

    src = json.load(open(os.path.join(course, "source", ASSIGNMENT, NB)))
    tests = [c["id"] for c in src["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    if tests != ALL_TESTS:
        fail("the source notebook's test cells are %s, this test knows %s: update ALL_TESTS and FAILS" % (tests, ALL_TESTS))

    # 1. generate_assignment: the released notebook has stubs, no solutions.
    for a in ASSIGNMENTS:
        nbgrader(course, "generate_assignment", a, "--force")
    rel_path = os.path.join(course, "release", ASSIGNMENT, NB)
    release = json.load(open(rel_path))
    text = json.dumps(release)
    if "BEGIN SOLUTION" in text or "max(0, x)" in text:
        fail("the released notebook still has solutions")
    stubs = sum("".join(c["source"]).count("// YOUR CODE HERE") for c in release["cells"] if c["cell_type"] == "code")
    if stubs != 12:
        fail("the released notebook has %d '// YOUR CODE HERE' stubs, want 12 (one per blank)" % stubs)
    print("ok   generate_assignment: release/%s/%s has 12 stubs and no solution" % (ASSIGNMENT, NB))

    # 2. three submissions, made from the released notebook as a student would.
    src_cells = cells_by_id(src)
    for student in ("complete", "partial", "broken"):
        nb = json.loads(json.dumps(release))
        for c in nb["cells"]:
            if not c.get("metadata", {}).get("nbgrader", {}).get("solution"):
                continue
            if student == "partial" and c["id"] in ("cell-08", "cell-14"):
                continue  # left as released
            c["source"] = src_cells[c["id"]]["source"]
            if student == "broken" and c["id"] == "cell-05":
                c["source"] = BROKEN_RELU
        d = os.path.join(course, "submitted", student, ASSIGNMENT)
        os.makedirs(d, exist_ok=True)
        json.dump(nb, open(os.path.join(d, NB), "w"), indent=1, ensure_ascii=False)
        with open(os.path.join(d, "timestamp.txt"), "w") as f:
            f.write("2026-12-07 03:00:00.000000 UTC\n")

    for a in ASSIGNMENTS:
        d = os.path.join(course, "submitted", "untouched", a)
        os.makedirs(d, exist_ok=True)
        shutil.copy(os.path.join(course, "release", a, a + ".ipynb"), d)

    # 3. autograde with the real kernel, then every test cell's score.
    for a in ASSIGNMENTS:
        nbgrader(course, "autograde", a, "--force")
    from nbgrader.api import Gradebook

    problems = []
    totals = {}
    with Gradebook("sqlite:///" + os.path.join(course, "gradebook.db")) as gb:
        for student in ("complete", "partial", "broken"):
            sub = gb.find_submission_notebook(NB[:-6], ASSIGNMENT, student)
            got = {g.name: g.score for g in sub.grades if g.cell_type == "code" and g.max_score > 0}
            want = {t: (0.0 if t in FAILS[student] else 1.0) for t in ALL_TESTS}
            for t in ALL_TESTS:
                if got.get(t) != want[t]:
                    problems.append("%s %s: score %s, want %s%s" % (student, t, got.get(t), want[t],
                                    " (" + FAILS[student][t] + ")" if t in FAILS[student] else ""))
            total = gb.find_submission(ASSIGNMENT, student).score
            expect = override.get(student, sum(want.values()))
            totals[student] = total
            print("%s   %-8s %4.1f / %d points (want %.1f)%s" % ("ok" if total == expect else "BAD", student, total,
                  len(ALL_TESTS), expect, "".join("\n       0 for %s: %s" % (t, w) for t, w in FAILS[student].items())))
            if total != expect:
                problems.append("%s: total %s, want %s" % (student, total, expect))
        for a, points in ASSIGNMENTS.items():
            sub = gb.find_submission_notebook(a, a, "untouched")
            scores = [g.score for g in sub.grades if g.cell_type == "code" and g.max_score > 0]
            if len(scores) != points or any(sc != 0 for sc in scores):
                problems.append("untouched %s: test cell scores %s, want %d zeros" % (a, scores, points))
            graded = cells_by_id(json.load(open(os.path.join(course, "autograded", "untouched", a, a + ".ipynb"))))
            for cid, c in graded.items():
                if not c["metadata"].get("nbgrader", {}).get("grade"):
                    continue
                err = "".join("".join(o.get("text", "")) for o in c["outputs"] if o.get("name") == "stderr")
                if "FAILED " not in err or "not yet" not in err:
                    problems.append("untouched %s %s: want a check's 'FAILED ...: not yet', got %r (a stub that does not compile?)" % (a, cid, err[:300]))
            print("ok   untouched %s: 0 / %d, every test cell fails on its check (the stubs compile)" % (a, points))
    if problems:
        fail("autograde scores:\n  " + "\n  ".join(problems))

    # What the autograded notebooks say: the broken one has the compiler's message at cell-05.
    broken = cells_by_id(json.load(open(os.path.join(course, "autograded", "broken", ASSIGNMENT, NB))))
    out05 = "".join("".join(o.get("data", {}).get("text/html", "")) + "".join(o.get("text", ""))
                    for o in broken["cell-05"]["outputs"])
    out05 = html.unescape(re.sub(r"<[^>]+>", "", out05))
    if COMPILER_SAYS not in out05:
        fail("the broken submission's cell-05 does not show the compiler's message %r; its outputs: %s" % (COMPILER_SAYS, out05[:2000]))
    print("ok   the broken submission's relu cell shows the compiler's message: " + COMPILER_SAYS)

    # 4. feedback: HTML that names the failed checks (and the compiler's message).
    nbgrader(course, "generate_feedback", ASSIGNMENT, "--force")
    for student, names in (("partial", ["predictWithNetwork", "results", "model"]), ("broken", ["relu"])):
        page = open(os.path.join(course, "feedback", student, ASSIGNMENT, ASSIGNMENT + ".html")).read()
        plain = html.unescape(re.sub(r"<[^>]+>", "", page))
        for n in names:
            if "FAILED %s: " % n not in plain and not (student == "broken" and "undefined: exercise05" in plain):
                fail("feedback/%s/%s.html does not name the failed check %r" % (student, ASSIGNMENT, n))
        if student == "broken" and COMPILER_SAYS not in plain:
            fail("feedback/broken does not show the compiler's message %r" % COMPILER_SAYS)
        m = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", plain)
        if not m or float(m.group(1)) != totals[student]:
            fail("feedback/%s says %r, want the score %s" % (student, m and m.group(0), totals[student]))
        print("ok   feedback/%s/%s/%s.html: %s; names %s%s" % (student, ASSIGNMENT, ASSIGNMENT, m.group(0), ", ".join(names),
              ", shows the compiler's message" if student == "broken" else ""))
    page = open(os.path.join(course, "feedback", "complete", ASSIGNMENT, ASSIGNMENT + ".html")).read()
    if "FAILED" in page:
        fail("feedback/complete names a failed check")

    # 5. export: the grades CSV, one row per student.
    nbgrader(course, "export", "--to", os.path.join(course, "grades.csv"))
    rows = list(csv.DictReader(open(os.path.join(course, "grades.csv"))))
    got = sorted((r["assignment"], r["student_id"], float(r["score"]), float(r["max_score"])) for r in rows)
    want = sorted((a, s, totals[s] if a == ASSIGNMENT and s != "untouched" else 0.0, float(p))
                  for a, p in ASSIGNMENTS.items() for s in ("complete", "partial", "broken", "untouched"))
    if got != want:
        fail("grades.csv rows %s, want %s" % (got, want))
    print("ok   grades.csv: %d rows (4 students x 4 assignments); %s: " % (len(rows), ASSIGNMENT) +
          "; ".join("%s %g/%g" % (r[1], r[2], r[3]) for r in got if r[0] == ASSIGNMENT))
    shutil.copy(os.path.join(course, "grades.csv"), os.path.join(course, "..", "nbgrader-grades.csv"))


if __name__ == "__main__":
    main()

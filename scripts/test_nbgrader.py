"""The nbgrader test (scripts/test-nbgrader.sh runs it): real nbgrader, the real Go kernel.

In a copy of the course directory (notebooks/exercises/nbgrader/) it runs what an instructor does
for each of the four assignments: `nbgrader generate_assignment`, the students' submissions made
from the released notebook, `nbgrader autograde`, `nbgrader generate_feedback` and `nbgrader
export`, and checks every test cell's score, the feedback HTML and the grades CSV.

  python scripts/test_nbgrader.py COURSE_COPY [--expect ASSIGNMENT:STUDENT=POINTS]   (--expect: to prove it fails)

The students, for every assignment (SCENARIOS below says which cells and why):
  complete   every solution cell answered (the source notebook's solutions): every check passes.
  partial    some solution cells left as released: their checks fail, and so do the checks of
             right code that uses what they should have given (a blank function, a model that
             was never fitted and saved).
  broken     everything answered, but one solution cell does not compile. GoNB keeps no
             declaration of a cell that does not compile, so every later cell that uses what it
             declares fails to compile too (undefined: ...): their test cells score 0, and the
             feedback shows the compiler's message.
  untouched  every released notebook handed in as it is: 0 everywhere, and every test cell fails
             on its check's verdict ("FAILED name: not yet"), never on a compile error: the stubs
             compile.
"""
import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys

STUDENTS = ("complete", "partial", "broken")

# Per assignment: its test cells (one point each) in order; for "partial" the solution cells left
# as released; for "broken" the solution cell replaced by code that does not compile, what the
# compiler says about it (the feedback must show it); and, per student, the test cells that fail
# and why (every other test cell must score its point).
SCENARIOS = {
    "01-forward-propagation": {
        "tests": [
            "cell-03-test-1", "cell-03-test-2",  # hidden layer, output
            "cell-05-test-1",  # relu
            "cell-06-test-1", "cell-06-test-2",  # with relu: hidden layer, output
            "cell-08-test-1",  # predictWithNetwork
            "cell-09-test-1",  # results
            "cell-12-test-1", "cell-12-test-2", "cell-12-test-3",  # two hidden layers
            "cell-14-test-1",  # the nn model
        ],
        "released": ["cell-08", "cell-14"],
        "broken_cell": "cell-05",
        "broken_source": """// relu is the rectified linear activation: its input when positive, 0 otherwise.
func relu(x float64) float64 {
\tif x > 0 {
\t\treturn x
\t}
\treturn "zero"
}""",
        "compiler_says": 'cannot use "zero" (untyped string constant) as float64 value in return statement',
        "fails": {
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
        },
    },
    "02-gradient-descent": {
        "tests": [
            "cell-03-test-1", "cell-03-test-2",  # error, weights1
            "cell-05-test-1",  # meanSquaredError
            "cell-07-test-1", "cell-07-test-2",  # mse0, mse1
            "cell-09-test-1", "cell-09-test-2",  # slope, weightsUpdated
            "cell-11-test-1",  # getSlope
            "cell-12-test-1",  # getMSE
            "cell-13-test-1",  # mseHist
            "cell-15-test-1",  # the nn model
        ],
        "released": ["cell-03", "cell-11", "cell-12"],
        "broken_cell": "cell-05",
        "broken_source": """// meanSquaredError returns the mean over the rows of (prediction - target) squared.
func meanSquaredError(predictions, targets []float64) float64 {
\treturn "zero"
}""",
        "compiler_says": 'cannot use "zero" (untyped string constant) as float64 value in return statement',
        "fails": {
            "partial": {
                "cell-03-test-1": "errorValue left as released (0)",
                "cell-03-test-2": "weights1 left as released (weights0's numbers)",
                "cell-11-test-1": "getSlope left as released (return nil)",
                "cell-12-test-1": "getMSE left as released (return 0)",
                "cell-13-test-1": "the updates call the blank getSlope and getMSE",
            },
            "broken": {
                "cell-05-test-1": "meanSquaredError does not compile (cell-05), so exercise05 is undefined",
                "cell-07-test-1": "cell-07 uses meanSquaredError: it does not compile",
                "cell-07-test-2": "cell-07 uses meanSquaredError: it does not compile",
            },
        },
    },
    "04-first-model": {
        "tests": [
            "cell-03-test-1", "cell-03-test-2",  # nCols, mean of union
            "cell-05-test-1",  # model
            "cell-07-test-1",  # compile
            "cell-09-test-1",  # fit
            "cell-11-test-1",  # predictions
            "cell-13-test-1",  # worker
        ],
        "released": ["cell-09", "cell-13"],
        "broken_cell": "cell-05",
        "broken_source": """// wagesModel returns the course's model of the wages, for rows of nCols predictors.
func wagesModel(nCols int) *nn.Sequential {
\treturn "model"
}""",
        "compiler_says": 'cannot use "model" (untyped string constant) as *nn.Sequential value in return statement',
        "fails": {
            "partial": {
                "cell-09-test-1": "the fit left as released (no history)",
                "cell-11-test-1": "no model was fitted and saved (cell-09), so there is nothing to predict with",
                "cell-13-test-1": "the worker's row left as released (empty)",
            },
            "broken": {
                "cell-05-test-1": "wagesModel does not compile (cell-05), so exercise05 is undefined",
                "cell-07-test-1": "exercise07 uses wagesModel: it does not compile",
                "cell-09-test-1": "cell-09 uses wagesModel: it does not compile",
                "cell-11-test-1": "no model was fitted and saved (cell-09 did not compile)",
            },
        },
    },
    "07-validation-early-stopping": {
        "tests": [
            "cell-03-test-1",  # target
            "cell-05-test-1",  # model
            "cell-07-test-1",  # validation rows
            "cell-09-test-1",  # validation
            "cell-10-test-1",  # best epoch
            "cell-12-test-1",  # early stopping
        ],
        "released": ["cell-09", "cell-10"],
        "broken_cell": "cell-05",
        "broken_source": """// titanicModel returns the lesson's model, compiled, for rows of nCols predictors.
func titanicModel(nCols int) (*nn.Sequential, error) {
\tmodel := nn.NewSequential(nn.Dense{Units: 2, Activation: nn.Softmax, InputDim: nCols})
\treturn model
}""",
        "compiler_says": "not enough return values",
        "fails": {
            "partial": {
                "cell-09-test-1": "fitWithValidation left as released (return nil, nil)",
                "cell-10-test-1": "bestEpoch left as released (0), on the blank fit",
            },
            "broken": {
                "cell-05-test-1": "titanicModel does not compile (cell-05), so exercise05 is undefined",
                "cell-09-test-1": "cell-09 uses titanicModel: it does not compile",
                "cell-10-test-1": "exercise10 uses titanicModel: it does not compile",
                "cell-12-test-1": "exercise12 uses titanicModel: it does not compile",
            },
        },
    },
}
for _sc in SCENARIOS.values():
    _sc["fails"]["complete"] = {}


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


def answered(release, source, assignment, student):
    """The released notebook of assignment as student (complete, partial or broken, SCENARIOS) hands
    it in: their solution cells written from the source notebook's solutions (partial leaves some
    as released, broken has one that does not compile). A copy; release is left as it is.
    scripts/class_grading_test.py makes the class hub's submissions with it too."""
    sc = SCENARIOS[assignment]
    src_cells = cells_by_id(source)
    nb = json.loads(json.dumps(release))
    for c in nb["cells"]:
        if not c.get("metadata", {}).get("nbgrader", {}).get("solution"):
            continue
        if student == "partial" and c["id"] in sc["released"]:
            continue  # left as released
        c["source"] = src_cells[c["id"]]["source"]
        if student == "broken" and c["id"] == sc["broken_cell"]:
            c["source"] = sc["broken_source"]
    return nb


def points(assignment, student):
    """The points student (SCENARIOS) must get in assignment: one per test cell that passes."""
    sc = SCENARIOS[assignment]
    return float(len(sc["tests"]) - len(sc["fails"][student]))


def plain_text(outputs):
    """The text of a cell's outputs (HTML tags dropped)."""
    t = "".join("".join(o.get("data", {}).get("text/html", "")) + "".join(o.get("text", "")) +
                "".join(o.get("data", {}).get("text/plain", "")) for o in outputs)
    return html.unescape(re.sub(r"<[^>]+>", "", t))


def check_names(src):
    """The check each test cell grades: {cell id: NAME of check.Graded("NAME", ...)}."""
    names = {}
    for c in src["cells"]:
        m = re.search(r'check\.Graded\("([^"]+)"', "".join(c["source"]))
        if m and c.get("metadata", {}).get("nbgrader", {}).get("grade"):
            names[c["id"]] = m.group(1)
    return names


def main():
    args = sys.argv[1:]
    if not args:
        fail("usage: test_nbgrader.py COURSE_COPY [--expect ASSIGNMENT:STUDENT=POINTS]")
    course = os.path.abspath(args[0])
    override = {}
    if len(args) == 3 and args[1] == "--expect":
        k, p = args[2].split("=")
        a, s = k.split(":")
        override[(a, s)] = float(p)

    sources = {}
    for a, sc in SCENARIOS.items():
        src = sources[a] = json.load(open(os.path.join(course, "source", a, a + ".ipynb")))
        tests = [c["id"] for c in src["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
        if tests != sc["tests"]:
            fail("%s: the source notebook's test cells are %s, this test knows %s: update SCENARIOS" % (a, tests, sc["tests"]))
        ids = {c["id"] for c in src["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
        for cid in sc["released"] + [sc["broken_cell"]]:
            if cid not in ids:
                fail("%s: %s is not a solution cell of the source notebook: update SCENARIOS" % (a, cid))

    # 1. generate_assignment: the released notebooks have stubs, no solutions.
    releases = {}
    for a in SCENARIOS:
        nbgrader(course, "generate_assignment", a, "--force")
        release = releases[a] = json.load(open(os.path.join(course, "release", a, a + ".ipynb")))
        text = json.dumps(release)
        if "BEGIN SOLUTION" in text or "END SOLUTION" in text:
            fail("release/%s still has solutions" % a)
        stubs = sum("".join(c["source"]).count("// YOUR CODE HERE") for c in release["cells"] if c["cell_type"] == "code")
        regions = json.dumps(sources[a]).count("// BEGIN SOLUTION")
        if stubs != regions:
            fail("release/%s has %d '// YOUR CODE HERE' stubs, want %d (one per solution region)" % (a, stubs, regions))
        print("ok   generate_assignment: release/%s/%s.ipynb has %d stubs and no solution" % (a, a, stubs))
    if "max(0, x)" in json.dumps(releases["01-forward-propagation"]):
        fail("release/01-forward-propagation still has relu's solution")

    # 2. the submissions, made from the released notebooks as a student would.
    for a, sc in SCENARIOS.items():
        for student in STUDENTS:
            nb = answered(releases[a], sources[a], a, student)
            d = os.path.join(course, "submitted", student, a)
            os.makedirs(d, exist_ok=True)
            json.dump(nb, open(os.path.join(d, a + ".ipynb"), "w"), indent=1, ensure_ascii=False)
            with open(os.path.join(d, "timestamp.txt"), "w") as f:
                f.write("2026-12-07 03:00:00.000000 UTC\n")
        d = os.path.join(course, "submitted", "untouched", a)
        os.makedirs(d, exist_ok=True)
        shutil.copy(os.path.join(course, "release", a, a + ".ipynb"), d)

    # 3. autograde with the real kernel, then every test cell's score.
    for a in SCENARIOS:
        nbgrader(course, "autograde", a, "--force")
    from nbgrader.api import Gradebook

    problems = []
    totals = {}
    with Gradebook("sqlite:///" + os.path.join(course, "gradebook.db")) as gb:
        for a, sc in SCENARIOS.items():
            for student in STUDENTS:
                fails = sc["fails"][student]
                sub = gb.find_submission_notebook(a, a, student)
                got = {g.name: g.score for g in sub.grades if g.cell_type == "code" and g.max_score > 0}
                want = {t: (0.0 if t in fails else 1.0) for t in sc["tests"]}
                for t in sc["tests"]:
                    if got.get(t) != want[t]:
                        problems.append("%s %s %s: score %s, want %s%s" % (a, student, t, got.get(t), want[t],
                                        " (" + fails[t] + ")" if t in fails else ""))
                total = gb.find_submission(a, student).score
                expect = override.get((a, student), sum(want.values()))
                totals[a, student] = total
                print("%s   %-28s %-8s %4.1f / %d points (want %.1f)%s" % (
                    "ok" if total == expect else "BAD", a, student, total, len(sc["tests"]), expect,
                    "".join("\n       0 for %s: %s" % (t, w) for t, w in fails.items())))
                if total != expect:
                    problems.append("%s %s: total %s, want %s" % (a, student, total, expect))
            sub = gb.find_submission_notebook(a, a, "untouched")
            scores = [g.score for g in sub.grades if g.cell_type == "code" and g.max_score > 0]
            totals[a, "untouched"] = gb.find_submission(a, "untouched").score
            if len(scores) != len(sc["tests"]) or any(x != 0 for x in scores):
                problems.append("%s untouched: test cell scores %s, want %d zeros" % (a, scores, len(sc["tests"])))
            graded = cells_by_id(json.load(open(os.path.join(course, "autograded", "untouched", a, a + ".ipynb"))))
            for cid, c in graded.items():
                if not c["metadata"].get("nbgrader", {}).get("grade"):
                    continue
                err = "".join("".join(o.get("text", "")) for o in c["outputs"] if o.get("name") == "stderr")
                if "FAILED " not in err or "not yet" not in err:
                    problems.append("untouched %s %s: want a check's 'FAILED ...: not yet', got %r (a stub that does not compile?)" % (a, cid, err[:300]))
            print("ok   %-28s untouched 0 / %d, every test cell fails on its check (the stubs compile)" % (a, len(sc["tests"])))
    if problems:
        fail("autograde scores:\n  " + "\n  ".join(problems))

    # What the autograded notebooks say: each broken one has the compiler's message at its cell.
    for a, sc in SCENARIOS.items():
        broken = cells_by_id(json.load(open(os.path.join(course, "autograded", "broken", a, a + ".ipynb"))))
        out = plain_text(broken[sc["broken_cell"]]["outputs"])
        if sc["compiler_says"] not in out:
            fail("%s: the broken submission's %s does not show the compiler's message %r; its outputs: %s" % (
                a, sc["broken_cell"], sc["compiler_says"], out[:2000]))
        print("ok   %-28s the broken submission's %s shows the compiler's message: %s" % (a, sc["broken_cell"], sc["compiler_says"]))

    # 4. feedback: HTML with the score, that names the failed checks (and the compiler's message).
    for a, sc in SCENARIOS.items():
        nbgrader(course, "generate_feedback", a, "--force")
        names = check_names(sources[a])
        for student in STUDENTS:
            page = open(os.path.join(course, "feedback", student, a, a + ".html")).read()
            plain = html.unescape(re.sub(r"<[^>]+>", "", page))
            m = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", plain)
            if not m or float(m.group(1)) != totals[a, student]:
                fail("feedback/%s/%s says %r, want the score %s" % (student, a, m and m.group(0), totals[a, student]))
            failed = sorted({names[t] for t in sc["fails"][student]})
            if student == "partial":
                for n in failed:
                    if "FAILED %s: " % n not in plain:
                        fail("feedback/%s/%s.html does not name the failed check %r" % (student, a, n))
            if student == "broken" and sc["compiler_says"] not in plain:
                fail("feedback/%s/%s does not show the compiler's message %r" % (student, a, sc["compiler_says"]))
            if student == "complete" and "FAILED" in plain:
                fail("feedback/complete/%s names a failed check" % a)
            print("ok   feedback/%s/%s/%s.html: %s%s%s" % (student, a, a, m.group(0),
                  "; names " + ", ".join(failed) if student == "partial" else "",
                  "; shows the compiler's message" if student == "broken" else ""))

    # 5. export: the grades CSV, one row per student and assignment.
    nbgrader(course, "export", "--to", os.path.join(course, "grades.csv"))
    rows = list(csv.DictReader(open(os.path.join(course, "grades.csv"))))
    got = sorted((r["assignment"], r["student_id"], float(r["score"]), float(r["max_score"])) for r in rows)
    want = sorted((a, s, totals[a, s], float(len(sc["tests"])))
                  for a, sc in SCENARIOS.items() for s in STUDENTS + ("untouched",))
    if got != want:
        fail("grades.csv rows %s, want %s" % (got, want))
    print("ok   grades.csv: %d rows (4 students x 4 assignments):" % len(rows))
    for a in SCENARIOS:
        print("       %-28s " % a + "; ".join("%s %g/%g" % (r[1], r[2], r[3]) for r in got if r[0] == a))
    shutil.copy(os.path.join(course, "grades.csv"), os.path.join(course, "..", "nbgrader-grades.csv"))


if __name__ == "__main__":
    main()

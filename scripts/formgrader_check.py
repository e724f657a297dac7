"""The formgrader sees the autograded scores: starts a Jupyter server of build/venv/nbgrader in a
graded course directory (scripts/test_nbgrader.py makes one) and asks nbgrader's formgrader
extension, over its HTTP API, for each assignment's submissions and their scores (no browser).

  python scripts/formgrader_check.py COURSE ASSIGNMENT:STUDENT=SCORE...
"""
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request


def main():
    course, *specs = sys.argv[1:]
    course = os.path.abspath(course)
    want = {}  # assignment: {student: score}
    for w in specs:
        key, score = w.split("=")
        assignment, student = key.split(":")
        want.setdefault(assignment, {})[student] = float(score)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    token = secrets.token_hex(16)
    bindir = os.path.dirname(sys.executable)
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    log = open(os.path.join(course, "formgrader-server.log"), "w")
    server = subprocess.Popen([os.path.join(bindir, "jupyter"), "server", "--no-browser", "--ip=127.0.0.1",
                               "--port=%d" % port, "--ServerApp.root_dir=" + course,
                               "--IdentityProvider.token=" + token] + (["--allow-root"] if os.geteuid() == 0 else []),
                              cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = "http://127.0.0.1:%d" % port
    hdr = {"Authorization": "token " + token}
    try:
        for _ in range(180):
            try:
                urllib.request.urlopen(urllib.request.Request(base + "/api", headers=hdr), timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(1)
        else:
            raise SystemExit("formgrader_check: FAIL: the server did not answer in 180 s (log: %s)" % log.name)
        if server.poll() is not None:
            raise SystemExit("formgrader_check: FAIL: the server exited (log: %s)" % log.name)
        page = urllib.request.urlopen(urllib.request.Request(base + "/formgrader", headers=hdr), timeout=30)
        if page.status != 200:
            raise SystemExit("formgrader_check: FAIL: /formgrader answered %d" % page.status)
        for assignment, students in want.items():
            r = urllib.request.urlopen(urllib.request.Request(base + "/formgrader/api/submissions/" + assignment, headers=hdr), timeout=60)
            subs = json.loads(r.read())
            got = {x["student"]: float(x["score"]) for x in subs if x.get("autograded")}
            for student, score in students.items():
                if got.get(student) != score:
                    raise SystemExit("formgrader_check: FAIL: the formgrader says %s has %s in %s, want %s (all: %s)" % (
                        student, got.get(student), assignment, score, got))
            print("ok   formgrader (nbgrader's server extension, /formgrader/api/submissions/%s): %s" % (
                assignment, ", ".join("%s %g" % kv for kv in sorted(got.items()))))
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()

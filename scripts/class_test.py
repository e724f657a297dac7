#!/usr/bin/env python3
"""The class load and fault test (run by scripts/test-class.sh against docker/class/start.sh's hub).

    class_test.py --url https://127.0.0.1:PORT --admin-password-file FILE --students N
                  --start-sh docker/class/start.sh [--faults] [--report build/class-test/report.json]

N students sign up through NativeAuthenticator's form, are refused until the instructor
approves them, log in with the form (real password check, cookies, _xsrf), get an API token,
and then all at the same moment start their servers through the hub's REST API, open a kernel
through the proxy and run a training cell (Go compile and Fit). Reported: spawn time p50/p95/max,
first-cell time p50/p95/max (kernel start + compile + Fit), each server's memory idle and peak
from its container's cgroup, the hub's and the proxy's memory, and every failure.

With --faults, then: a student's container killed mid-cell (they restart and find their edited
notebook intact), the hub restarted while a student's cell runs (the cell finishes, the server is
the same), the memory limit hit by one student (a clear error; another student's cell still
runs), with --disk-quota-mb a student filling their disk quota (the write and a notebook save fail
saying so, another student is unaffected, deleting the file makes saving work again), the idle
culler stopping a server (the home survives, the next start brings it back), and an image
upgrade (a new lesson arrives, an edited one is kept).

Exit status 1 on any failed spawn, error cell or lost file. Deterministic inputs; the timings are
measurements.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from jupyter_api import Failure, Hub  # noqa: E402

TRAIN_CELL = '''import (
\t"fmt"

\t"github.com/dlnb/dlnb/nn"
)

%%
m := nn.NewSequential(nn.Dense{Units: 8, InputDim: 2, Activation: "relu"}, nn.Dense{Units: 1})
m.Seed = 1
if err := m.Compile(nn.Adam{LearningRate: 0.01}, "mean_squared_error"); err != nil {
\tpanic(err)
}
var x [][]float64
var y []float64
for i := 0; i < 256; i++ {
\ta, b := float64(i%16)/16, float64(i/16)/16
\tx = append(x, []float64{a, b})
\ty = append(y, 2*a-b)
}
h, err := m.Fit(x, y, nn.FitOptions{Epochs: 50, BatchSize: 32})
if err != nil {
\tpanic(err)
}
loss := h.History["loss"]
fmt.Printf("class ok: loss %.3g -> %.3g\\n", loss[0], loss[len(loss)-1])
'''
TRAIN_WANT = "class ok: loss"
PASSWORD = "class-test-pw-"  # + the student's name: long enough, not a common password


def docker(*args, check=True):
    r = subprocess.run([os.environ.get("DOCKER", "docker"), *args], capture_output=True, text=True)
    if check and r.returncode != 0:
        raise Failure(f"docker {' '.join(args)}: {r.stderr.strip()}")
    return r.stdout.strip()


PREFIX = "dlnb-class"  # DLNB_CLASS_NAME of the hub (--prefix)


def container(name):
    return f"{PREFIX}-{name}"


def cgroup_memory(cid):
    """(current, peak) bytes of a container's memory cgroup (v1 or v2), or (None, None)."""
    for cur, peak in ((f"/sys/fs/cgroup/memory/docker/{cid}/memory.usage_in_bytes",
                       f"/sys/fs/cgroup/memory/docker/{cid}/memory.max_usage_in_bytes"),
                      (f"/sys/fs/cgroup/system.slice/docker-{cid}.scope/memory.current",
                       f"/sys/fs/cgroup/system.slice/docker-{cid}.scope/memory.peak"),
                      (f"/sys/fs/cgroup/docker/{cid}/memory.current", f"/sys/fs/cgroup/docker/{cid}/memory.peak")):
        try:
            with open(cur) as f:
                c = int(f.read())
            try:
                with open(peak) as f:
                    p = int(f.read())
            except OSError:
                p = None
            return c, p
        except OSError:
            continue
    return None, None


def rss(pidfile):
    try:
        with open(pidfile) as f:
            pid = f.read().strip()
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def pct(values, p):
    if not values:
        return None
    v = sorted(values)
    return v[min(len(v) - 1, max(0, int(round(p / 100 * len(v) + 0.5)) - 1))]


def mb(b):
    return None if b is None else round(b / 1e6, 1)


class Run:
    def __init__(self, a):
        self.a = a
        self.failures = []
        self.report = {"students": a.students, "faults": {}}

    def fail(self, what):
        print(f"class-test: FAIL: {what}", flush=True)
        self.failures.append(what)

    def say(self, what):
        print(f"class-test: {what}", flush=True)

    # ---- accounts ------------------------------------------------------------------------------
    def accounts(self):
        a = self.a
        with open(a.admin_password_file) as f:
            admin_pw = f.read().strip()
        self.instructor = Hub(a.url)
        self.instructor.login(a.admin, admin_pw)
        names = [f"student{i + 1}" for i in range(a.students)]
        self.students = {}
        for n in names:
            h = Hub(a.url)
            h.signup(n, PASSWORD + n)
            self.students[n] = h
        # Not approved yet: the login form must refuse them.
        try:
            Hub(a.url).login(names[0], PASSWORD + names[0])
            self.fail(f"{names[0]} logged in before the instructor approved them")
        except Failure:
            pass
        for n in names:
            self.instructor.authorize(n)
        for n, h in self.students.items():
            h.login(n, PASSWORD + n)
        users = {u["name"]: u for u in self.instructor.api("GET", "/users")}
        missing = [n for n in names if n not in users]
        if missing:
            self.fail(f"the instructor's user list lacks {missing}")
        if not users.get(a.admin, {}).get("admin"):
            self.fail(f"{a.admin} is not an admin")
        self.say(f"{len(names)} students signed up, were refused before approval, approved by "
                 f"{a.admin} and logged in with the form")

    # ---- load ----------------------------------------------------------------------------------
    def load(self):
        res = {}
        barrier = threading.Barrier(len(self.students))

        def student(n, h):
            r = res[n] = {}
            try:
                barrier.wait()
                r["spawn_s"] = h.start_server(timeout=self.a.timeout)
                cid = docker("inspect", "-f", "{{.Id}}", container(n))
                r["cid"] = cid
                r["idle_bytes"], _ = cgroup_memory(cid)
                s = h.server()
                kernel = s.go_kernel()
                t0 = time.monotonic()
                s.run_cell(kernel, TRAIN_CELL, TRAIN_WANT, timeout=self.a.timeout)
                r["first_cell_s"] = time.monotonic() - t0
                r["after_bytes"], r["peak_bytes"] = cgroup_memory(cid)
            except Exception as e:  # every failure is counted, the others go on
                r["error"] = f"{type(e).__name__}: {e}"

        threads = [threading.Thread(target=student, args=(n, h)) for n, h in self.students.items()]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - t0
        for n, r in sorted(res.items()):
            if "error" in r:
                self.fail(f"{n}: {r['error']}")
        spawn = [r["spawn_s"] for r in res.values() if "spawn_s" in r]
        cell = [r["first_cell_s"] for r in res.values() if "first_cell_s" in r]
        idle = [r["idle_bytes"] for r in res.values() if r.get("idle_bytes")]
        peak = [r["peak_bytes"] for r in res.values() if r.get("peak_bytes")]
        rep = {
            "wall_s": round(wall, 1),
            "spawn_s": {"p50": pct(spawn, 50), "p95": pct(spawn, 95), "max": max(spawn, default=None)},
            "first_cell_s": {"p50": pct(cell, 50), "p95": pct(cell, 95), "max": max(cell, default=None)},
            "server_idle_mb": {"mean": mb(statistics.mean(idle)) if idle else None, "max": mb(max(idle, default=None))},
            "server_peak_mb": {"mean": mb(statistics.mean(peak)) if peak else None, "max": mb(max(peak, default=None))},
            "hub_rss_mb": mb(rss(os.path.join(self.a.state, "hub.pid"))),
            "proxy_rss_mb": mb(rss(os.path.join(self.a.state, "proxy.pid"))),
            "failed": sum(1 for r in res.values() if "error" in r),
            "per_student": {n: {k: (round(v, 2) if isinstance(v, float) else v) for k, v in r.items() if k != "cid"}
                            for n, r in sorted(res.items())},
        }
        for k in ("spawn_s", "first_cell_s"):
            rep[k] = {q: (None if v is None else round(v, 1)) for q, v in rep[k].items()}
        self.report["load"] = rep
        self.say(f"{len(self.students)} students at once in {rep['wall_s']} s: spawn p50/p95/max "
                 f"{rep['spawn_s']['p50']}/{rep['spawn_s']['p95']}/{rep['spawn_s']['max']} s, first cell p50/p95/max "
                 f"{rep['first_cell_s']['p50']}/{rep['first_cell_s']['p95']}/{rep['first_cell_s']['max']} s; "
                 f"server memory idle {rep['server_idle_mb']} MB, peak {rep['server_peak_mb']} MB; "
                 f"hub {rep['hub_rss_mb']} MB, proxy {rep['proxy_rss_mb']} MB; {rep['failed']} failed")

    # ---- faults --------------------------------------------------------------------------------
    def edit(self, s, path, marker):
        """Saves an edited copy of a notebook at path (the student's work); returns its content."""
        nb = s.api("GET", f"/api/contents/{path}?content=1")["content"]
        nb["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": marker, "id": "student-edit"})
        s.api("PUT", f"/api/contents/{path}", {"type": "notebook", "format": "json", "content": nb})
        return marker

    def has_edit(self, s, path, marker):
        nb = s.api("GET", f"/api/contents/{path}?content=1")["content"]
        return any(c.get("source") == marker for c in nb["cells"])

    def wait_stopped(self, h, timeout):
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            ready, pending = h.server_state()
            if not ready and not pending:
                return time.monotonic() - t0
            time.sleep(1)
        raise Failure(f"the hub still thinks {h.name}'s server runs after {timeout} s")

    def fault_killed(self, n, h):
        s = h.server()
        marker = f"edited by {n} before the crash"
        self.edit(s, "lessons/00-welcome.ipynb", marker)
        kernel = s.go_kernel()
        kid = s.api("POST", "/api/kernels", {"name": kernel})["id"]
        out = {}

        def long_cell():
            try:
                out["r"] = s.execute(kid, 'import "time"\n%%\ntime.Sleep(60 * time.Second)\n', timeout=120)
            except Exception as e:
                out["e"] = str(e)

        t = threading.Thread(target=long_cell)
        t.start()
        time.sleep(5)
        docker("kill", container(n))
        t.join(150)
        if "r" in out and out["r"][0] == "ok":
            self.fail("the cell of a killed container finished ok")
        noticed = self.wait_stopped(h, 120)
        h.start_server(timeout=self.a.timeout)
        if not self.has_edit(h.server(), "lessons/00-welcome.ipynb", marker):
            self.fail(f"{n}'s edited notebook was lost when the container was killed")
        self.report["faults"]["container_killed"] = {"hub_noticed_s": round(noticed, 1), "edit_kept": True}
        self.say(f"{n}'s container killed mid-cell: the hub noticed in {noticed:.0f} s, the restarted "
                 f"server has the edited notebook")
        return marker

    def cullers(self):
        """The pids of the idle cullers serving this hub (found by the hub's API URL, with its
        port, in their environment)."""
        port = os.environ.get("DLNB_CLASS_HUB_PORT", "")
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if b"jupyterhub_idle_culler" not in f.read():
                        continue
                with open(f"/proc/{pid}/environ", "rb") as f:
                    env = dict(kv.split(b"=", 1) for kv in f.read().split(b"\0") if b"=" in kv)
            except OSError:
                continue
            if port and env.get(b"JUPYTERHUB_API_URL", b"").decode().split("/hub/")[0].endswith(":" + port):
                found.append(int(pid))
        return found

    def fault_hub_restart(self, n, h):
        s = h.server()
        cid = docker("inspect", "-f", "{{.Id}}", container(n))
        out = {}

        def cell():
            try:
                out["r"] = s.run_cell(s.go_kernel(), 'import ("fmt"; "time")\n%%\ntime.Sleep(20 * time.Second)\n'
                                      'fmt.Println("survived the hub restart")\n', "survived the hub restart",
                                      timeout=180)
            except Exception as e:
                out["e"] = str(e)

        t = threading.Thread(target=cell)
        t.start()
        time.sleep(4)
        t0 = time.monotonic()
        r = subprocess.run(["bash", self.a.start_sh, "restart-hub"], capture_output=True, text=True)
        restart = time.monotonic() - t0
        if r.returncode != 0:
            self.fail(f"start.sh restart-hub failed: {r.stdout}{r.stderr}")
        t.join(200)
        if "e" in out or "r" not in out:
            self.fail(f"{n}'s cell did not survive the hub restart: {out.get('e')}")
        if docker("inspect", "-f", "{{.Id}}", container(n), check=False) != cid:
            self.fail(f"{n}'s container was replaced by the hub restart")
        ready, _ = h.server_state()
        if not ready:
            self.fail(f"after the hub restart the hub does not see {n}'s server")
        # The old hub stopped its idle culler: one culler, the new hub's, serves the class.
        cullers = self.cullers()
        if len(cullers) != 1:
            self.fail(f"after start.sh restart-hub {len(cullers)} idle cullers serve the hub (pids {cullers}), want 1")
        self.report["faults"]["hub_restart"] = {"restart_s": round(restart, 1), "cell_survived": "r" in out,
                                                "cullers": len(cullers)}
        self.say(f"hub restarted in {restart:.0f} s while {n}'s cell ran: the cell finished, same container, "
                 f"the hub sees the server")

    def fault_memory(self, n, h, other_n, other_h):
        s = h.server()
        res = {}

        def hog():
            try:
                kid = s.api("POST", "/api/kernels", {"name": s.go_kernel()})["id"]
                res["hog"] = s.execute(kid, 'import "fmt"\n%%\nvar keep [][]byte\nfor i := 0; i < 1<<20; i++ {\n'
                                            '\tb := make([]byte, 64<<20)\n\tfor j := range b { b[j] = 1 }\n'
                                            '\tkeep = append(keep, b)\n}\nfmt.Println(len(keep))\n', timeout=300)
            except Exception as e:
                res["hog_error"] = f"{type(e).__name__}: {e}"

        def other():
            try:
                o = other_h.server()
                res["other"] = o.run_cell(o.go_kernel(), TRAIN_CELL, TRAIN_WANT, timeout=300)
            except Exception as e:
                res["other_error"] = f"{type(e).__name__}: {e}"

        ts = [threading.Thread(target=hog), threading.Thread(target=other)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(400)
        status, text, errors, _ = res.get("hog", (None, "", [], 0))
        if status == "ok" and not errors:
            self.fail(f"{n}'s cell allocating past the memory limit succeeded")
        msg = (" ".join(errors) + " " + text + " " + res.get("hog_error", "")).strip()
        if "other" not in res:
            self.fail(f"{other_n}'s cell failed while {n} hit the memory limit: {res.get('other_error')}")
        ready, _ = h.server_state()
        self.report["faults"]["memory_limit"] = {"error": msg[:300], "other_ok": "other" in res,
                                                 "server_survived": ready}
        self.say(f"{n} went past the memory limit: {msg[:200]!r}; its server {'survived' if ready else 'was killed'}; "
                 f"{other_n}'s cell {'still ran' if 'other' in res else 'FAILED'}")
        if not ready:
            self.wait_stopped(h, 120)
            h.start_server(timeout=self.a.timeout)

    def fault_disk(self, n, h, other_n, other_h):
        """Student n fills their home past the disk quota: the write that crosses it fails with the
        system's words (disk quota exceeded / no space left on device), so does saving a notebook
        in JupyterLab (the contents API), and once the student deletes the file, saving works
        again; meanwhile student other_n saves and runs a cell as usual."""
        quota = self.a.disk_quota_mb
        s = h.server()
        fill = ('import (\n\t"fmt"\n\t"os"\n)\n\n%%\n'
                'f, err := os.Create("/home/jovyan/filler.bin")\nif err != nil {\n\tfmt.Println("create:", err)\n\treturn\n}\n'
                'buf := make([]byte, 1<<20)\nmb := 0\n'
                f'for ; mb < {2 * quota}; mb++ {{\n\tif _, err = f.Write(buf); err != nil {{\n\t\tbreak\n\t}}\n}}\n'
                # The last blocks too (a 1 MB write that fails leaves up to a MB free): 4 KB at a time.
                'if err != nil {\n\tfor {\n\t\tif _, werr := f.Write(buf[:4096]); werr != nil {\n\t\t\tbreak\n\t\t}\n\t}\n}\n'
                'if err == nil {\n\terr = f.Sync()\n}\nif cerr := f.Close(); err == nil {\n\terr = cerr\n}\n'
                'fmt.Printf("wrote %d MB: %v\\n", mb, err)\n')
        kid = s.api("POST", "/api/kernels", {"name": s.go_kernel()})["id"]
        status, text, errors, _ = s.execute(kid, fill, timeout=300)
        full = ("disk quota exceeded", "no space left on device")
        said = text.strip().splitlines()[-1] if text.strip() else " ".join(errors)
        if not any(w in said.lower() for w in full):
            self.fail(f"{n} wrote {2 * quota} MB into a {quota} MB home without a quota error: {said!r} {errors}")
        # Saving a notebook at the quota: JupyterLab shows the server's error.
        nb = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        code, _, raw = s.request("PUT", "/api/contents/at-quota.ipynb",
                                 {"type": "notebook", "format": "json", "content": nb})
        save_error = raw.decode("utf-8", "replace")
        if code < 400 or not any(w in save_error.lower() for w in full):
            self.fail(f"saving a notebook at the quota: HTTP {code} {save_error[:300]!r}, want an error naming the full disk")
        # The other student, meanwhile: a save and a cell.
        o = other_h.server()
        o.api("PUT", "/api/contents/while-other-full.txt", {"type": "file", "format": "text", "content": "fine"})
        o.run_cell(o.go_kernel(), 'import "fmt"\n%%\nfmt.Println("other student fine")\n', "other student fine")
        # The student frees the space: saving works again.
        s.api("DELETE", "/api/contents/filler.bin")
        code, _, _ = s.request("PUT", "/api/contents/at-quota.ipynb", {"type": "notebook", "format": "json", "content": nb})
        if code not in (200, 201):
            self.fail(f"{n} deleted the big file but saving still fails: HTTP {code}")
        s.api("DELETE", f"/api/kernels/{kid}")
        self.report["faults"]["disk_quota"] = {"quota_mb": quota, "cell_said": said[:200], "save_http": code,
                                               "save_error": save_error[:200], "other_ok": True}
        self.say(f"{n} filled their {quota} MB home: the cell said {said[:120]!r}; a save said "
                 f"{save_error[:120]!r}; after deleting the file saving works; {other_n} saved and ran a cell meanwhile")

    def fault_culler(self, n, h):
        """The hub runs with the default culler (an hour) until here, so that no earlier case's
        idle server is culled under it at a moment that depends on the machine's load. Here the
        instructor shortens the culler's timeout (DLNB_CLASS_CULL_TIMEOUT) and restarts the hub,
        as docker/class/README.md says; the culler must then stop n's idle server."""
        if not h.server_state()[0]:
            h.start_server(timeout=self.a.timeout)
        s = h.server()
        s.api("PUT", "/api/contents/mine.txt", {"type": "file", "format": "text", "content": "my work"})
        r = subprocess.run(["bash", self.a.start_sh, "restart-hub"], capture_output=True, text=True,
                           env=dict(os.environ, DLNB_CLASS_CULL_TIMEOUT=str(self.a.cull_timeout)))
        if r.returncode != 0:
            raise Failure(f"start.sh restart-hub with DLNB_CLASS_CULL_TIMEOUT={self.a.cull_timeout}: {r.stdout}{r.stderr}")
        stopped = self.wait_stopped(h, self.a.cull_timeout * 4 + 120)
        # DockerSpawner removes the stopped container a moment after the hub reports the server
        # stopped; a start in that moment fails with HTTP 500 (a name conflict, seen here). A
        # student's browser retries; the test waits for the container to go.
        for _ in range(60):
            if docker("inspect", container(n), check=False) in ("", "[]"):
                break
            time.sleep(1)
        h.start_server(timeout=self.a.timeout)
        got = h.server().api("GET", "/api/contents/mine.txt?content=1")
        if got.get("content") != "my work":
            self.fail(f"{n}'s file did not survive the culler")
        self.report["faults"]["culler"] = {"stopped_after_s": round(stopped, 1), "home_kept": True}
        self.say(f"the culler stopped {n}'s idle server after {stopped:.0f} s; the next start has the home back")

    def fault_upgrade(self, n, h, marker):
        # The instructor's upgrade: a new image under the same tag, with a new lesson and a changed one.
        a = self.a
        ctx = os.path.join(a.work, "upgrade")
        os.makedirs(ctx, exist_ok=True)
        with open(os.path.join(ctx, "Dockerfile"), "w") as f:
            f.write(f"FROM {a.image}\nUSER root\nCOPY new.ipynb /opt/dlnb/src/notebooks/99-new-lesson.ipynb\n"
                    "RUN sed -i 's/Welcome/Welcome (v2)/' /opt/dlnb/src/notebooks/00-welcome.ipynb\nUSER 1000\n")
        with open(os.path.join(ctx, "new.ipynb"), "w") as f:
            json.dump({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, f)
        docker("build", "-q", "-t", a.image, ctx)
        h.stop_server()
        h.start_server(timeout=a.timeout)
        s = h.server()
        code, _, _ = s.request("GET", "/api/contents/lessons/99-new-lesson.ipynb")
        if code != 200:
            self.fail(f"the upgraded image's new lesson did not reach {n}'s home (HTTP {code})")
        if not self.has_edit(s, "lessons/00-welcome.ipynb", marker):
            self.fail(f"the image upgrade overwrote {n}'s edited lesson")
        self.report["faults"]["image_upgrade"] = {"new_lesson": code == 200, "edit_kept": True}
        self.say(f"image upgrade: the new lesson reached {n}'s home, the edited lesson was kept")

    def isolation(self, n, other):
        """Student n's server holds only n's home and n's own hub token: it cannot read other's home,
        nor use the hub's API as an admin (list users, start another's server)."""
        cid = container(n)
        mounts = json.loads(docker("inspect", "-f", "{{json .Mounts}}", cid))
        homes = sorted(m.get("Name", "") for m in mounts if m.get("Destination") == "/home/jovyan")
        others = [m.get("Name", "") for m in mounts if other in m.get("Name", "")]
        if homes != [f"{PREFIX}-home-{n}"] or others:
            self.fail(f"{n}'s container mounts {[(m.get('Name'), m.get('Destination')) for m in mounts]}: "
                      f"want only {PREFIX}-home-{n} over /home/jovyan")
        probe = ("import json, os, urllib.request as u\n"
                 "api, tok = os.environ['JUPYTERHUB_API_URL'], os.environ['JUPYTERHUB_API_TOKEN']\n"
                 "out = {}\n"
                 "for what, method, path in (('users', 'GET', '/users'), ('start_other', 'POST', '/users/%s/server')):\n"
                 "    r = u.Request(api + path, method=method, headers={'Authorization': 'token ' + tok})\n"
                 "    try:\n"
                 "        out[what] = u.urlopen(r, timeout=10).status\n"
                 "    except Exception as e:\n"
                 "        out[what] = getattr(e, 'code', str(e))\n"
                 "out['uid'] = os.getuid()\n"
                 "print(json.dumps(out))\n") % other
        got = json.loads(docker("exec", cid, "python3", "-c", probe).splitlines()[-1])
        if got["users"] in (200, 201) or got["start_other"] in (200, 201, 202):
            self.fail(f"{n}'s own token reached the hub's API as an admin: {got}")
        if got["uid"] == 0:
            self.fail(f"{n}'s server runs as root")
        self.report["isolation"] = got
        self.say(f"{n}'s server mounts only its own home; with its token the hub answers GET /users {got['users']}, "
                 f"starting {other}'s server {got['start_other']}; it runs as uid {got['uid']}")

    def faults(self):
        names = sorted(self.students)
        if len(names) < 3:
            self.fail("the fault cases need at least 3 students")
            return
        try:
            self.isolation(names[0], names[1])
        except Exception as e:
            self.fail(f"isolation: {type(e).__name__}: {e}")
        steps = [
            ("container killed", lambda: self.fault_killed(names[0], self.students[names[0]])),
            ("hub restart", lambda: self.fault_hub_restart(names[1], self.students[names[1]])),
            ("memory limit", lambda: self.fault_memory(names[2], self.students[names[2]],
                                                       names[1], self.students[names[1]])),
        ]
        if self.a.disk_quota_mb:
            steps.append(("disk quota", lambda: self.fault_disk(names[1], self.students[names[1]],
                                                                names[0], self.students[names[0]])))
        marker = None
        for what, f in steps:
            try:
                r = f()
                marker = marker or r
            except Exception as e:
                self.fail(f"fault case '{what}': {type(e).__name__}: {e}")
        try:
            if marker:
                self.fault_upgrade(names[0], self.students[names[0]], marker)
        except Exception as e:
            self.fail(f"fault case 'image upgrade': {type(e).__name__}: {e}")
        try:
            # Last: every other server is stopped first so only the idle one is watched.
            for n in names[1:]:
                if n != names[2]:
                    self.students[n].stop_server()
            self.fault_culler(names[2], self.students[names[2]])
        except Exception as e:
            self.fail(f"fault case 'culler': {type(e).__name__}: {e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True)
    ap.add_argument("--admin", default="instructor")
    ap.add_argument("--admin-password-file", required=True)
    ap.add_argument("--students", type=int, default=5)
    ap.add_argument("--state", required=True, help="the hub's state directory (pid files)")
    ap.add_argument("--start-sh", required=True)
    ap.add_argument("--image", required=True, help="the class image's tag (the upgrade rebuilds it)")
    ap.add_argument("--work", required=True, help="a scratch directory")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--cull-timeout", type=int, default=60)
    ap.add_argument("--prefix", default="dlnb-class", help="the hub's DLNB_CLASS_NAME")
    ap.add_argument("--faults", action="store_true")
    ap.add_argument("--disk-quota-mb", type=int, default=0,
                    help="the hub's per-student disk quota (MB): with --faults, a student fills it")
    ap.add_argument("--report", default="")
    a = ap.parse_args()
    if a.students < 1:
        print("class_test: --students must be at least 1", file=sys.stderr)
        return 2
    global PREFIX
    PREFIX = a.prefix
    r = Run(a)
    try:
        r.accounts()
        r.load()
        if a.faults:
            r.faults()
    except Failure as e:
        r.fail(str(e))
    r.report["failures"] = r.failures
    if a.report:
        os.makedirs(os.path.dirname(os.path.abspath(a.report)), exist_ok=True)
        tmp = a.report + ".tmp"
        with open(tmp, "w") as f:
            json.dump(r.report, f, indent=1)
        os.replace(tmp, a.report)
    print(f"class-test: {'FAILED' if r.failures else 'passed'} ({len(r.failures)} failures)")
    return 1 if r.failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Cell latency of the Go kernel: the time from execute_request to the kernel going idle, as a
student waits for it, for four kinds of cell, and for every code cell of the lessons (p50, p90, max).
Each kind runs cold (the first cell of a new kernel), warm (edited and run again, the median of
--rounds: a new program to compile and link, as every lesson cell is) and rerun (run again unchanged:
go build finds the program up to date and links nothing, so this is GoNB's and the program's own
time). Each kind also reports its kernel's start (from starting the kernel to its answering): in a
new container, the first kind's kernel start plus its cold cell is what the first cell there costs.

    build/venv/jupyter/bin/python bench/cells.py [--kernel dlnb] [--lessons notebooks/0*.ipynb] [--rounds 3] [--phases]

It uses the kernelspec Jupyter finds (JUPYTER_PATH=build/jupyter for the tests' own, which
scripts/setup.sh writes). "Cold" here means a new kernel with the Go build cache as setup left it,
not a cold build cache. Prints one line per measurement and a summary; nothing is asserted (speed is
measured, not tested).

--phases says where each warm cell's time goes, from GoNB's own log: it runs the kernel from a copy of
its kernelspec with GoNB's -v=2 (which logs each step it starts) and DLNB_KERNEL_LOG=all, and splits
the time into GoNB's parsing, goimports, `go get`, `go build` (compile and link) and the cell's program
(from its start to the kernel going idle).
"""

import argparse
import datetime
import glob
import json
import os
import re
import shutil
import statistics
import tempfile
import time

from jupyter_client.manager import KernelManager

CELLS = {
    "trivial": '%%\nfmt.Println("hi")\n',
    "imports nn, datasets, plotting": (
        'import (\n\t"github.com/dlnb/dlnb/datasets"\n\t"github.com/dlnb/dlnb/nn"\n\t"github.com/dlnb/dlnb/plotting"\n)\n\n'
        "%%\nfmt.Println(nn.ReLU.Func(1), datasets.HourlyWages().X.RawMatrix().Rows, plotting.Activations != nil)\n"),
    "chart": ('import "github.com/dlnb/dlnb/plotting"\n\n%%\nplotting.Activations(nil).Display()\n'),
    "training": (
        'import (\n\t"github.com/dlnb/dlnb/datasets"\n\t"github.com/dlnb/dlnb/nn"\n)\n\n'
        "%%\nd := datasets.HourlyWages()\nm := nn.NewSequential(nn.Dense{Units: 50, Activation: nn.ReLU}, nn.Dense{Units: 1})\n"
        "m.Compile(nn.Adam{}, nn.MeanSquaredError)\nh, _ := m.Fit(d.X, d.Y, nn.FitOptions{Epochs: 10})\nfmt.Println(h.Last(\"loss\"))\n"),
}


def run(kc, code):
    """Seconds from execute_request to idle; raises on an error output."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    while True:
        msg = kc.get_iopub_msg(timeout=300)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "error":
            raise SystemExit("cells.py: the cell failed:\n" + "\n".join(msg["content"]["traceback"]) + "\n" + code)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return time.perf_counter() - t0


WORK = tempfile.mkdtemp(prefix="dlnb-cells-")  # lessons write their model files where they run


def kernel(name, log=None):
    km = KernelManager(kernel_name=name)
    km.start_kernel(cwd=WORK, **({"stderr": log} if log else {}))
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    return km, kc


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def phases_kernel(name):
    """A copy of kernelspec name that logs GoNB's steps (-v=2, DLNB_KERNEL_LOG=all), found first on
    JUPYTER_PATH; returns its name."""
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec(name)
    d = tempfile.mkdtemp(prefix="dlnb-cells-spec-")
    k = os.path.join(d, "kernels", name + "-phases")
    shutil.copytree(spec.resource_dir, k)
    with open(os.path.join(k, "kernel.json")) as f:
        ks = json.load(f)
    argv = ks["argv"]
    argv.insert(argv.index("--") + 1 if "--" in argv else 1, "-v=2")
    ks.setdefault("env", {})["DLNB_KERNEL_LOG"] = "all"
    with open(os.path.join(k, "kernel.json"), "w") as f:
        json.dump(ks, f)
    os.environ["JUPYTER_PATH"] = d + os.pathsep + os.environ.get("JUPYTER_PATH", "")
    return name + "-phases"


STEPS = [("goimports", re.compile(r"Executing \S*goimports ")), ("go get", re.compile(r"Executing \S*go get")),
         ("go build", re.compile(r"Executing \S*go (build|test) ")), ("program", re.compile(r"jpyexec\.go.*Executing: "))]
KLOG = re.compile(r"^I\d{4} (\d\d):(\d\d):(\d\d\.\d+) ")


def phases(log_path, t0, t1):
    """Seconds of each step GoNB logged between wall-clock times t0 and t1 (a cell's request and idle)."""
    day = datetime.datetime.fromtimestamp(t0).replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    marks = []
    with open(log_path, errors="replace") as f:
        for line in f:
            m = KLOG.match(line)
            if not m:
                continue
            t = day + int(m[1]) * 3600 + int(m[2]) * 60 + float(m[3])
            if t0 <= t <= t1:
                for step, rx in STEPS:
                    if rx.search(line):
                        marks.append((t, step))
    out, prev, name = {}, t0, "parse"
    for t, step in marks:
        out[name] = out.get(name, 0) + t - prev
        prev, name = t, step
    out[name] = out.get(name, 0) + t1 - prev
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="dlnb")
    ap.add_argument("--lessons", default="notebooks/0*.ipynb")
    ap.add_argument("--rounds", type=int, default=3, help="warm runs of each kind of cell (the median is kept)")
    ap.add_argument("--phases", action="store_true", help="split each warm cell's time into GoNB's steps (from its log)")
    a = ap.parse_args()
    name, log = a.kernel, None
    if a.phases:
        name = phases_kernel(a.kernel)
        log = tempfile.NamedTemporaryFile(prefix="dlnb-cells-gonb-", suffix=".log", delete=False)
    results = {}
    for what, code in CELLS.items():
        t = time.perf_counter()
        km, kc = kernel(name, log)
        start = time.perf_counter() - t
        split = []
        try:
            cold = run(kc, code)
            warms = []
            for i in range(a.rounds):
                # A changed cell, as a student edits and runs again: a new program to compile and
                # link. (Run unchanged, go build finds its program up to date and links nothing.)
                edited = code.rstrip("\n") + f"\n_ = {i + 1}\n"
                t0 = time.time()
                warms.append(run(kc, edited))
                t1 = time.time()
                if log:
                    time.sleep(0.05)  # let GoNB's last log lines reach the file
                    split.append(phases(log.name, t0, t1))
            warm = statistics.median(warms)
            rerun = statistics.median(run(kc, edited) for _ in range(a.rounds))
        finally:
            stop(km, kc)
        results[what] = {"kernel_start_s": round(start, 3), "cold_s": round(cold, 3), "warm_s": round(warm, 3),
                         "rerun_s": round(rerun, 3)}
        line = f"{what:32s} kernel start {start:5.2f} s   cold {cold:5.2f} s   warm {warm:5.2f} s   rerun {rerun:5.2f} s"
        if split:
            steps = [s for s in ["parse"] + [s for s, _ in STEPS] if any(s in p for p in split)]
            med = {s: statistics.median(p.get(s, 0) for p in split) for s in steps}
            results[what]["warm_phases_s"] = {s: round(v, 3) for s, v in med.items()}
            line += "   (" + ", ".join(f"{s} {v:.2f}" for s, v in med.items()) + ")"
        print(line, flush=True)

    times = []
    for path in sorted(glob.glob(a.lessons)):
        nb = json.load(open(path))
        km, kc = kernel(a.kernel)
        try:
            for c in nb["cells"]:
                if c["cell_type"] == "code":
                    src = c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                    times.append(run(kc, src))
        finally:
            stop(km, kc)
        print(f"{path:50s} {len(times):4d} cells so far", flush=True)
    if times:
        q = statistics.quantiles(times, n=10)
        results["lesson_cells"] = {"n": len(times), "p50_s": round(statistics.median(times), 3),
                                   "p90_s": round(q[8], 3), "max_s": round(max(times), 3)}
        print(f"lesson cells: {len(times)}, p50 {statistics.median(times):.2f} s, p90 {q[8]:.2f} s, max {max(times):.2f} s")
    print(json.dumps(results))


if __name__ == "__main__":
    main()

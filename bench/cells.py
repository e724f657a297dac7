#!/usr/bin/env python3
"""Cell latency of the Go kernel: the time from execute_request to the kernel going idle, as a
student waits for it, for four kinds of cell (each cold, the first time in a new kernel, then warm,
run again), and for every code cell of the lessons (p50, p90, max).

    build/venv/jupyter/bin/python bench/cells.py [--kernel dlnb] [--lessons notebooks/0*.ipynb] [--rounds 3]

It uses the kernelspec Jupyter finds (JUPYTER_PATH=build/jupyter for the tests' own, which
scripts/setup.sh writes). "Cold" here means a new kernel with the Go build cache as setup left it,
not a cold build cache. Prints one line per measurement and a summary; nothing is asserted (speed is
measured, not tested).
"""

import argparse
import glob
import json
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


def kernel(name):
    km = KernelManager(kernel_name=name)
    km.start_kernel(cwd=WORK)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    return km, kc


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="dlnb")
    ap.add_argument("--lessons", default="notebooks/0*.ipynb")
    ap.add_argument("--rounds", type=int, default=3, help="warm runs of each kind of cell (the median is kept)")
    a = ap.parse_args()
    results = {}
    for what, code in CELLS.items():
        km, kc = kernel(a.kernel)
        try:
            cold = run(kc, code)
            warm = statistics.median(run(kc, code) for _ in range(a.rounds))
        finally:
            stop(km, kc)
        results[what] = {"cold_s": round(cold, 3), "warm_s": round(warm, 3)}
        print(f"{what:32s} cold {cold:6.2f} s   warm {warm:6.2f} s", flush=True)

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

#!/usr/bin/env python3
"""The Go kernel's life cycle leaves nothing behind: starts KERNELS kernels (default 20) as
Jupyter does, runs a Go cell in each, shuts most down cleanly and kills KILLS of them (default 5)
with SIGKILL, as a hub's culler or a crashed container would. Then it checks that

  - no process started by those kernels is left (gonb, gopls, a cell's program): every kernel gets
    a marker in its environment, which its children inherit, and /proc is searched for it;
  - no GoNB folder is left in the kernels' temporary directory (a private TMPDIR);
  - no kernel's log shows a panic, a goroutine dump or GoNB's start-up "Error message".

    kernel_lifecycle_check.py KERNEL_NAME [KERNELS [KILLS]]

Run by scripts/test-notebooks.sh with the project's Jupyter (build/venv/jupyter) and the kernelspec
scripts/setup.sh wrote (JUPYTER_PATH). Exits 1 with the reason on any leftover.
"""

import os
import signal
import sys
import tempfile
import time
import uuid

from jupyter_client.manager import KernelManager

CELL = '%%\nfmt.Println("lifecycle ok")\n'


def marked(marker):
    """PIDs of processes whose environment holds marker."""
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/environ", "rb") as f:
                if marker in f.read():
                    pids.append(int(d))
        except OSError:
            pass
    return pids


def describe(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f"{pid} " + f.read().replace(b"\0", b" ").decode(errors="replace")[:120]
    except OSError:
        return str(pid)


def run_cell(kc):
    msg_id = kc.execute(CELL)
    out = ""
    while True:
        msg = kc.get_iopub_msg(timeout=120)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            out += msg["content"]["text"]
        elif msg["msg_type"] == "error":
            raise SystemExit("kernel_lifecycle_check: FAIL: the cell failed: " + "\n".join(msg["content"]["traceback"]))
        elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    if "lifecycle ok" not in out:
        raise SystemExit(f"kernel_lifecycle_check: FAIL: the cell printed {out!r}")


def main(kernel, n, kills):
    token = "dlnb-lifecycle-" + uuid.uuid4().hex
    tmp = tempfile.mkdtemp(prefix="dlnb-lifecycle-")
    logs = tempfile.mkdtemp(prefix="dlnb-lifecycle-logs-")
    env = dict(os.environ, DLNB_LIFECYCLE_MARK=token, TMPDIR=tmp)
    t0 = time.time()
    killed = 0
    for i in range(n):
        km = KernelManager(kernel_name=kernel)
        with open(os.path.join(logs, f"kernel-{i}.log"), "wb") as log:
            km.start_kernel(env=env, stdout=log, stderr=log)
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=120)
            run_cell(kc)
        finally:
            kc.stop_channels()
        if i % (n // kills if kills else n + 1) == 0 and killed < kills:
            os.kill(km.provisioner.process.pid, signal.SIGKILL)  # the kernel process Jupyter started
            km.provisioner.process.wait()
            km.cleanup_resources()
            killed += 1
            how = "killed (SIGKILL)"
        else:
            km.shutdown_kernel(now=False)
            how = "shut down"
        print(f"kernel {i + 1:2d}/{n}: ran a cell, {how}", flush=True)

    # What is left, after a grace period for the supervisors of killed kernels.
    deadline = time.time() + 15
    while True:
        left = marked(token.encode())
        dirs = [d for d in os.listdir(tmp) if d.startswith("gonb_")]
        if (not left and not dirs) or time.time() > deadline:
            break
        time.sleep(0.2)
    problems = []
    if left:
        problems.append("processes left: " + "; ".join(describe(p) for p in left))
    if dirs:
        problems.append(f"GoNB folders left in {tmp}: {sorted(dirs)}")
    for name in sorted(os.listdir(logs)):
        text = open(os.path.join(logs, name), errors="replace").read()
        for bad in ("panic:", "goroutine 1 [", "Error message", "fatal error:"):
            if bad in text:
                problems.append(f"{name} shows {bad!r}:\n{text[-2000:]}")
                break
    if problems:
        for p in problems:
            print("kernel_lifecycle_check: FAIL: " + p, file=sys.stderr)
        print(f"kernel_lifecycle_check: logs kept in {logs}", file=sys.stderr)
        return 1
    print(f"ok   {n} kernels ({killed} killed with SIGKILL) in {time.time() - t0:.0f} s: no process, "
          f"no GoNB folder and no panic left behind")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    sys.exit(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20,
                  int(sys.argv[3]) if len(sys.argv) > 3 else 5))

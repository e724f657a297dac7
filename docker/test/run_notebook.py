#!/usr/bin/env python3
"""Executes notebooks with nbclient inside the image (Jupyter's own Python) and
fails on any error: a cell that raises, or an `error` output. Prints each
notebook's time and its first code cell's time (the "first cell answers in a
few seconds" promise of the image).

  run_notebook.py NOTEBOOK...
"""
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def run(path):
    nb = nbformat.read(path, as_version=4)
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    client = NotebookClient(nb, timeout=900, kernel_name=kernel or "", allow_errors=False)
    first = {}
    t0 = time.monotonic()
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            c0 = time.monotonic()
            try:
                client.execute_cell(cell, i)
            except CellExecutionError as e:
                print("run_notebook: FAIL: %s cell %d: %s" % (path, i, str(e)[:2000]), file=sys.stderr)
                return False
            first.setdefault("t", time.monotonic() - c0)
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    print("run_notebook: FAIL: %s cell %d: %s: %s"
                          % (path, i, out.get("ename"), out.get("evalue")), file=sys.stderr)
                    return False
    print("run_notebook: %s passed in %.1f s (kernel %s, first code cell %.1f s)"
          % (path, time.monotonic() - t0, kernel, first.get("t", 0)))
    return True


def main(paths):
    if not paths:
        print("run_notebook: no notebook given", file=sys.stderr)
        return 1
    return 0 if all([run(p) for p in paths]) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

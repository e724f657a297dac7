#!/usr/bin/env python3
"""Runs notebooks with the real GoNB kernel and checks what each cell expects.

    run_notebooks.py [options] NOTEBOOK...      execute, check, write executed copies
    run_notebooks.py --check-clean NOTEBOOK...  committed form: no outputs, right kernel, canonical JSON
    run_notebooks.py --strip NOTEBOOK...        rewrite in the committed form (after editing in Jupyter)
    run_notebooks.py --strip -                  the same from stdin to stdout (exercises/mkexercises
                                                writes its notebooks through this: one writer); a JSON
                                                list of notebooks gives the list of their texts
    run_notebooks.py --move-markers NOTEBOOK... move `// expect:` lines of the sources into cell metadata

Each notebook is copied, with the other files of its source tree, under --out
(so lessons run outside the repository, as they do in the Docker image, and
whatever they save stays out of git), executed there cell by cell with the
kernel given by --kernel, and written back (temp file + rename) with its outputs.

A cell fails when it produces an error output (compile error, panic, non-zero
exit), or when one of its expectations does not hold. A lesson keeps them in the
cell's metadata, out of what a student reads (JupyterLab shows them in the
property inspector):

    "metadata": {"dlnb": {"expect": ["TEXT", ...], "expect-re": ["REGEX", ...],
                          "expect-error": "TEXT"}}

    expect        stdout contains TEXT; runs of spaces match any whitespace,
                  {lo..hi} matches a number between lo and hi (inclusive)
    expect-re     stdout matches the Python regular expression (re.search, MULTILINE)
    expect-error  the cell must fail, and its error text contains TEXT

The same expectations as comment lines in the source (`// expect: TEXT`,
`// expect-re: REGEX`, `// expect-error: TEXT`) still count: the exercise
notebooks use them, because a student sees what a check prints. `--move-markers`
moves a notebook's source markers into its metadata.

"stdout" here is the cell's standard output plus any text/plain or text/markdown
it displays. See notebooks/README.md.
"""

import argparse
import html
import os
import re
import shutil
import sys
import tempfile
import time

NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
BAND = re.compile(r"\{\s*(" + NUM + r")\s*\.\.\s*(" + NUM + r")\s*\}")
MARKER = re.compile(r"^\s*//\s*(expect[\w-]*)\s*:\s?(.*?)\s*$")
KINDS = ("expect", "expect-re", "expect-error")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class MarkerError(ValueError):
    """A marker that cannot be understood (a typo in a lesson, not a failed check)."""


class Expectation:
    """One marker of a cell: kind, its text, and how to match it."""

    def __init__(self, kind, text):
        if kind not in KINDS:
            raise MarkerError(f"unknown expectation {kind!r} (use one of {', '.join(KINDS)})")
        if not text:
            raise MarkerError(f"empty {kind}: expectation")
        self.kind, self.text, self.bands = kind, text, []
        if kind == "expect-re":
            try:
                self.regex = re.compile(text, re.MULTILINE)
            except re.error as e:
                raise MarkerError(f"expect-re: {text!r} is not a valid regular expression: {e}") from None
            return
        parts, pos = [], 0
        for m in BAND.finditer(text):
            lo, hi = float(m.group(1)), float(m.group(2))
            if lo > hi:
                raise MarkerError(f"{kind}: band {m.group(0)} has lo > hi")
            parts.append(_literal(text[pos:m.start()]))
            # The number may not continue a longer one on either side (so {0..1} does not match the "5" of "0.5").
            parts.append(r"(?<![\d.+-])(" + NUM + r")(?![\d])")
            self.bands.append((lo, hi))
            pos = m.end()
        parts.append(_literal(text[pos:]))
        self.regex = re.compile("".join(parts))

    def check(self, out):
        """Returns None if out satisfies the expectation, else a message saying why not."""
        if not self.bands:
            if self.regex.search(out):
                return None
            return f"{self.kind}: {self.text!r} not found"
        near = []
        # Look at every start position (a lookahead finds overlapping candidates too).
        for m in re.finditer("(?=" + self.regex.pattern + ")", out, self.regex.flags):
            values = [float(m.group(i + 1)) for i in range(len(self.bands))]
            if all(lo <= v <= hi for v, (lo, hi) in zip(values, self.bands)):
                return None
            near.append(values)
        if not near:
            return f"{self.kind}: {self.text!r} not found"
        shown = "; ".join(
            ", ".join(f"{v:g} not in [{lo:g}, {hi:g}]" for v, (lo, hi) in zip(vals, self.bands) if not lo <= v <= hi)
            for vals in near[:3])
        return f"{self.kind}: {self.text!r}: found, but {shown}"


def _literal(s):
    return r"\s+".join(re.escape(w) for w in re.split(r"\s+", s))


def expectations(source):
    """The markers of a cell's source, in order."""
    out = []
    for line in source.splitlines():
        m = MARKER.match(line)
        if m:
            out.append(Expectation(m.group(1), m.group(2)))
    return out


META = "dlnb"


def metadata_expectations(metadata):
    """The expectations in a cell's metadata["dlnb"]: lists of strings under the keys of KINDS
    (a single string is taken as a list of one)."""
    meta = metadata.get(META)
    if meta is None:
        return []
    if not isinstance(meta, dict):
        raise MarkerError(f"cell metadata {META!r} is {type(meta).__name__}, want an object like "
                          f'{{"expect": ["TEXT"]}}')
    out = []
    for kind, texts in meta.items():
        if kind not in KINDS:
            raise MarkerError(f"unknown expectation {kind!r} in cell metadata {META!r} (use one of {', '.join(KINDS)})")
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise MarkerError(f"cell metadata {META}.{kind} is {texts!r}: want a string or a list of strings")
        out.extend(Expectation(kind, t) for t in texts)
    return out


def cell_expectations(cell):
    """Every expectation of a cell: those in its metadata, then those in its source."""
    return metadata_expectations(cell.get("metadata", {})) + expectations(cell.source)


def move_markers(cell):
    """Moves the `// expect...` lines of a code cell's source into its metadata (after any already
    there); returns how many it moved. A marker that does not parse stays, and raises MarkerError."""
    if cell.cell_type != "code":
        return 0
    kept, moved = [], []
    for line in cell.source.split("\n"):
        m = MARKER.match(line)
        if m:
            Expectation(m.group(1), m.group(2))  # check it first: never move a typo silently
            moved.append((m.group(1), m.group(2)))
        else:
            kept.append(line)
    if not moved:
        return 0
    meta = cell.metadata.setdefault(META, {})
    metadata_expectations(cell.metadata)  # the existing metadata must be valid too
    for kind, text in moved:
        have = meta.get(kind, [])
        if isinstance(have, str):
            have = [have]
        meta[kind] = have + [text]
    if isinstance(meta.get("expect-error"), list) and len(meta["expect-error"]) == 1:
        meta["expect-error"] = meta["expect-error"][0]
    # Drop what removing the lines left at the ends (a blank first or last line).
    while kept and not kept[-1].strip():
        kept.pop()
    cell.source = "\n".join(kept)
    return len(moved)


def _strip_html(s):
    s = re.sub(r"(?is)<style.*?</style>", "", s)
    s = re.sub(r"(?s)<[^>]+>", "", s)
    s = html.unescape(s)
    return "\n".join(line.strip() for line in s.splitlines() if line.strip())


def cell_texts(cell):
    """(stdout-like text, error text, has_error) of an executed code cell."""
    out, stderr, err, has_error = [], [], [], False
    for o in cell.get("outputs", []):
        t = o.get("output_type")
        if t == "stream":
            (out if o.get("name") == "stdout" else stderr).append(_as_text(o.get("text", "")))
        elif t in ("display_data", "execute_result"):
            data = o.get("data", {})
            for mime in ("text/plain", "text/markdown"):
                if mime in data:
                    out.append(_as_text(data[mime]))
            h = _as_text(data.get("text/html", ""))
            if "gonb-err" in h:  # GoNB shows compile and `go get` errors as an HTML block
                err.append(_strip_html(h))
        elif t == "error":
            has_error = True
            err.append(f"{o.get('ename', '')}: {o.get('evalue', '')}")
            tb = [ANSI.sub("", line) for line in o.get("traceback", [])]
            if tb and tb != [o.get("evalue", "")]:
                err.append("\n".join(tb))
    err = ["".join(stderr).rstrip("\n")] + err if stderr else err
    return "".join(out), ANSI.sub("", "\n".join(err)), has_error


def _as_text(v):
    return "".join(v) if isinstance(v, list) else str(v)


def check_cell(cell):
    """Messages for every way the executed cell fails its checks (empty if it passes)."""
    try:
        exps = cell_expectations(cell)
    except MarkerError as e:
        return [str(e)]
    out, err, has_error = cell_texts(cell)
    want_error = [e for e in exps if e.kind == "expect-error"]
    problems = []
    if has_error and not want_error:
        problems.append("error output:\n" + _indent(_tail(err or "(no error text)")))
        return problems
    if want_error and not has_error:
        problems.append(f"expected an error ({', '.join(repr(e.text) for e in want_error)}), but the cell succeeded")
    for e in exps:
        msg = e.check(err if e.kind == "expect-error" else out)
        if msg:
            problems.append(msg + "\n" + _indent(_tail((err if e.kind == "expect-error" else out) or "(no output)")))
    return problems


def _tail(s, n=25):
    lines = s.rstrip("\n").splitlines()
    if len(lines) > n:
        lines = [f"... ({len(lines) - n} lines before)"] + lines[-n:]
    return "\n".join(lines)


def _indent(s):
    return "\n".join("      | " + line for line in s.splitlines())


def canonical(nb, nbformat):
    s = nbformat.writes(nb)
    return s if s.endswith("\n") else s + "\n"


def write_atomic(path, text):
    d = os.path.dirname(path) or "."
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a notebook is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def strip(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for k in ("execution", "collapsed", "scrolled", "trusted"):
            cell.metadata.pop(k, None)
    nb.metadata.pop("widgets", None)
    # The kernel reports its Go version here: it would change the file on every machine.
    nb.metadata.get("language_info", {}).pop("version", None)
    return nb


def check_clean(path, text, kernel, nbformat):
    """Problems with a notebook's committed form."""
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as e:  # nbformat raises several types for bad JSON or schema
        return [f"not a valid notebook: {e}"]
    problems = []
    ks = nb.metadata.get("kernelspec", {})
    if ks.get("name") != kernel or ks.get("language") != "go":
        problems.append(f"metadata.kernelspec is {ks!r}: want name {kernel!r}, language 'go'")
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            problems.append(f"cell {i} has outputs or an execution count")
    if not problems and canonical(strip(nb), nbformat) != text:
        problems.append("not in canonical form (nbformat's layout)")
    if problems:
        problems.append(f"fix: {sys.executable} scripts/run_notebooks.py --strip {path}")
    return problems


def run_notebook(src, rel, out_root, kernel, timeout, verbose, nbformat, NotebookClient):
    """Executes one notebook; returns (ok, seconds)."""
    nb = nbformat.read(src, as_version=4)
    dst = os.path.join(out_root, rel)
    cwd = os.path.dirname(os.path.abspath(dst))
    os.makedirs(cwd, exist_ok=True)
    log_path = dst + ".kernel.log"
    client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, allow_errors=True,
                            resources={"metadata": {"path": cwd}})
    failures, times, t_kernel, t0 = [], [], None, time.monotonic()
    with open(log_path, "w") as log:
        try:
            with client.setup_kernel(stderr=log):
                t_kernel = time.monotonic() - t0
                for i, cell in enumerate(nb.cells):
                    if cell.cell_type != "code":
                        continue
                    tc = time.monotonic()
                    client.execute_cell(cell, i)
                    times.append((time.monotonic() - tc, i))
                    for p in check_cell(cell):
                        failures.append((i, cell, p))
                    if verbose:
                        print(f"    cell {i:3d} {times[-1][0]:6.2f} s  {_first_line(cell.source)}")
        except Exception as e:  # timeouts, a dead kernel, a kernel that never started
            failures.append((None, None, f"{type(e).__name__}: {e} (kernel log: {log_path})"))
    took = time.monotonic() - t0
    write_atomic(dst, canonical(nb, nbformat))
    ncode = sum(1 for c in nb.cells if c.cell_type == "code")
    slow = max(times) if times else None
    detail = f"{ncode} code cells"
    if t_kernel is not None:
        detail += f", kernel start {t_kernel:.1f} s"
    if slow:
        detail += f", slowest cell {slow[1]} {slow[0]:.1f} s"
    status = "ok  " if not failures else "FAIL"
    print(f"{status} {rel:48s} {took:6.1f} s  ({detail})", flush=True)
    for i, cell, p in failures:
        where = "notebook" if i is None else f"cell {i} ({_first_line(cell.source)})"
        print(f"  {where}: {p}")
    if failures:
        print(f"  executed copy: {dst}")
    return not failures, took


def _first_line(src):
    for line in src.splitlines():
        if line.strip() and line.strip() != "%%" and not MARKER.match(line):
            return line.strip()[:60]
    return "(empty)"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="+", help="notebooks to run (under --src)")
    ap.add_argument("--src", default="notebooks", help="the source tree copied under --out (default notebooks)")
    ap.add_argument("--out", default="build/notebooks", help="where notebooks run and executed copies go")
    ap.add_argument("--kernel", default=os.environ.get("DLNB_KERNEL_NAME", "dlnb"))
    ap.add_argument("--timeout", type=int, default=int(os.environ.get("DLNB_CELL_TIMEOUT", "600")),
                    help="seconds a cell may take (default 600, or $DLNB_CELL_TIMEOUT)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every cell's time")
    ap.add_argument("--fresh", action="store_true",
                    help="empty --out first, so nothing a previous run saved (a model file) can stand in for a cell")
    ap.add_argument("--check-clean", action="store_true", help="only check the committed form")
    ap.add_argument("--strip", action="store_true", help="rewrite the notebooks in the committed form")
    ap.add_argument("--move-markers", action="store_true",
                    help="move the `// expect:` lines of every code cell's source into its metadata (dlnb)")
    a = ap.parse_args()

    import nbformat  # imported here so --help works without Jupyter

    def read(p):
        """The notebook at p, or None after saying why it cannot be read."""
        try:
            return nbformat.read(p, as_version=4)
        except Exception as e:  # a missing file, bad JSON, a bad schema: nbformat raises several types
            print(f"{p}: cannot read it as a notebook: {e}", file=sys.stderr)
            return None

    if a.strip and a.notebooks == ["-"]:
        # The committed form of the notebook on stdin, validated, on stdout: how exercises/mkexercises
        # writes the notebooks it generates, so that nbformat alone decides the layout.
        import json
        text = sys.stdin.buffer.read().decode("utf-8")
        try:
            many = text.lstrip().startswith("[")
            texts = [json.dumps(x) for x in json.loads(text)] if many else [text]
        except ValueError as e:
            print(f"stdin: not a list of notebooks (JSON): {e}", file=sys.stderr)
            return 1
        out = []
        for i, t in enumerate(texts):
            try:
                nb = nbformat.reads(t, as_version=4)
                nbformat.validate(nb)
            except Exception as e:  # bad JSON, a bad schema: nbformat raises several types
                print(f"stdin{f' (notebook {i})' if many else ''}: not a valid notebook: {e}", file=sys.stderr)
                return 1
            out.append(canonical(strip(nb), nbformat))
        result = json.dumps(out, ensure_ascii=False) if many else out[0]
        sys.stdout.buffer.write(result.encode("utf-8"))
        return 0
    if a.strip:
        for p in a.notebooks:
            nb = read(p)
            if nb is None:
                return 1
            write_atomic(p, canonical(strip(nb), nbformat))
            print(f"stripped {p}")
        return 0
    if a.move_markers:
        for p in a.notebooks:
            nb = read(p)
            if nb is None:
                return 1
            try:
                n = sum(move_markers(c) for c in nb.cells)
            except MarkerError as e:
                print(f"{p}: {e}", file=sys.stderr)
                return 1
            write_atomic(p, canonical(strip(nb), nbformat))
            print(f"{p}: moved {n} markers into cell metadata")
        return 0
    if a.check_clean:
        bad = 0
        for p in a.notebooks:
            with open(p, encoding="utf-8") as f:
                problems = check_clean(p, f.read(), a.kernel, nbformat)
            for q in problems:
                print(f"{p}: {q}")
            bad += bool(problems)
        return 1 if bad else 0

    from nbclient import NotebookClient

    src_root = os.path.abspath(a.src)
    rels = []
    for p in a.notebooks:
        rel = os.path.relpath(os.path.abspath(p), src_root)
        if rel.startswith(".."):
            print(f"{p} is not under --src {a.src}", file=sys.stderr)
            return 2
        rels.append(rel)
    if a.fresh and os.path.isdir(a.out):
        shutil.rmtree(a.out)
    # Everything besides notebooks (data files a lesson reads) goes along; the notebooks are read from
    # src. Models saved by running lessons in place stay behind: a lesson must make its own.
    shutil.copytree(src_root, a.out, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.ipynb", "*.go", "*.model.json"))
    ok, total = 0, 0.0
    for p, rel in zip(a.notebooks, rels):
        passed, took = run_notebook(p, rel, a.out, a.kernel, a.timeout, a.verbose, nbformat, NotebookClient)
        ok += passed
        total += took
    print(f"{ok} of {len(rels)} notebooks passed in {total:.1f} s")
    return 0 if ok == len(rels) else 1


if __name__ == "__main__":
    sys.exit(main())

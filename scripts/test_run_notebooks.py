"""Unit tests of the harness's checks (no kernel needed): python3 scripts/test_run_notebooks.py"""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_notebooks as rn  # noqa: E402


def cell(source, *outputs, meta=None):
    import nbformat
    c = nbformat.v4.new_code_cell(source)
    if meta is not None:
        c.metadata["dlnb"] = meta
    c.outputs = [nbformat.from_dict(o) for o in outputs]
    return c


def out(text):
    return {"output_type": "stream", "name": "stdout", "text": text}


def error(evalue):
    return {"output_type": "error", "ename": "ERROR", "evalue": evalue, "traceback": [evalue]}


class TestExpectation(unittest.TestCase):
    def check(self, marker_text, output, kind="expect"):
        return rn.Expectation(kind, marker_text).check(output)

    def test_literal(self):
        self.assertIsNone(self.check("Total params: 1,282", "x\nTotal params: 1,282\n"))
        self.assertIn("not found", self.check("Total params: 1,283", "Total params: 1,282\n"))
        # Regex characters are literal.
        self.assertIsNone(self.check("(None, 10) [x]", "out (None, 10) [x]"))
        self.assertIn("not found", self.check("a.c", "abc"))

    def test_whitespace_runs(self):
        self.assertIsNone(self.check("dense (Dense) 32", "dense   (Dense)\t\t32"))
        self.assertIsNone(self.check("a b", "a\n  b"))

    def test_bands(self):
        self.assertIsNone(self.check("accuracy: {0.6..0.85}", "loss: 0.4 accuracy: 0.7512"))
        msg = self.check("accuracy: {0.6..0.85}", "accuracy: 0.52")
        self.assertIn("0.52 not in [0.6, 0.85]", msg)
        self.assertIn("not found", self.check("accuracy: {0.6..0.85}", "accuracy: nan"))
        # Inclusive ends, exponents, signs.
        self.assertIsNone(self.check("x={1..2}", "x=2"))
        self.assertIsNone(self.check("x={1e-4..1e-2}", "x=5.0e-03"))
        self.assertIn("-0.5 not in", self.check("loss: {0..1}", "loss: -0.5"))
        # A band does not match the tail of a longer number.
        self.assertIn("10.5 not in [0, 9]", self.check("{0..9}", "x10.5y"))
        self.assertIn("12 not in", self.check("v {0..9}", "v 12"))
        # Any occurrence may satisfy it, not only the first.
        self.assertIsNone(self.check("acc {0.6..0.9}", "acc 0.5\nacc 0.7\n"))
        # Two bands in one marker.
        self.assertIsNone(self.check("{1..1} of {10..10}", "epoch 1 of 10"))
        self.assertIn("not in", self.check("{1..1} of {10..10}", "epoch 1 of 11"))

    def test_regex(self):
        self.assertIsNone(self.check(r"^loss: 0\.\d+$", "a\nloss: 0.25\nb", kind="expect-re"))
        self.assertIsNotNone(self.check(r"^loss: 1", "loss: 0.25", kind="expect-re"))

    def test_bad_markers(self):
        with self.assertRaises(rn.MarkerError):
            rn.Expectation("expects", "x")
        with self.assertRaises(rn.MarkerError):
            rn.Expectation("expect", "")
        with self.assertRaises(rn.MarkerError):
            rn.Expectation("expect", "{2..1}")
        with self.assertRaises(rn.MarkerError):
            rn.Expectation("expect-re", "(")

    def test_parse(self):
        exps = rn.expectations("%%\n// expect: a  b\nfmt.Println(1) // not a marker\n  //expect-re: ^x$\n")
        self.assertEqual([(e.kind, e.text) for e in exps], [("expect", "a  b"), ("expect-re", "^x$")])


class TestCheckCell(unittest.TestCase):
    def test_pass_and_fail(self):
        self.assertEqual(rn.check_cell(cell("// expect: 42", out("42\n"))), [])
        self.assertEqual(len(rn.check_cell(cell("// expect: 43", out("42\n")))), 1)

    def test_error_fails(self):
        p = rn.check_cell(cell("%%\npanic(1)", out("partial\n"), error("exit status 2")))
        self.assertEqual(len(p), 1)
        self.assertIn("exit status 2", p[0])

    def test_expect_error(self):
        self.assertEqual(rn.check_cell(cell("// expect-error: exit status 2", error("exit status 2"))), [])
        p = rn.check_cell(cell("// expect-error: exit status 3", error("exit status 2")))
        self.assertIn("not found", p[0])
        p = rn.check_cell(cell("// expect-error: boom", out("fine\n")))
        self.assertIn("the cell succeeded", p[0])

    def test_gonb_html_error_text(self):
        html = {"output_type": "display_data", "metadata": {}, "data": {"text/html":
                "<style>.gonb-err-location{}</style><div>./main.go:11:13: undefined: &quot;x&quot;</div>"}}
        p = rn.check_cell(cell("x", html, error("failed to run go build")))
        self.assertIn('undefined: "x"', p[0])

    def test_bad_marker_fails_cell(self):
        self.assertIn("unknown expectation", rn.check_cell(cell("// expect-eror: 1", out("1")))[0])

    def test_displays_count_as_output(self):
        md = {"output_type": "display_data", "metadata": {}, "data": {"text/markdown": "GoNB v0.11.5"}}
        self.assertEqual(rn.check_cell(cell("// expect: GoNB v0.11.5", md)), [])


class TestMetadata(unittest.TestCase):
    def test_pass_and_fail(self):
        self.assertEqual(rn.check_cell(cell("%%", out("Total params: 2,165\n"), meta={"expect": ["Total params: 2,165"]})), [])
        p = rn.check_cell(cell("%%", out("Total params: 2,165\n"), meta={"expect": ["Total params: 2,166"]}))
        self.assertEqual(len(p), 1)
        self.assertIn("expect: 'Total params: 2,166' not found", p[0])
        self.assertIn("Total params: 2,165", p[0])  # shows the output

    def test_bands_regex_error(self):
        meta = {"expect": ["loss: {0..1}"], "expect-re": [r"^acc \d$"]}
        self.assertEqual(rn.check_cell(cell("%%", out("loss: 0.5\nacc 1\n"), meta=meta)), [])
        self.assertIn("2 not in [0, 1]", rn.check_cell(cell("%%", out("loss: 2\nacc 1\n"), meta=meta))[0])
        self.assertEqual(rn.check_cell(cell("%%", error("boom"), meta={"expect-error": "boom"})), [])
        self.assertIn("the cell succeeded", rn.check_cell(cell("%%", out("ok"), meta={"expect-error": "boom"}))[0])

    def test_every_expectation_counts(self):
        # Metadata and source markers both hold; either one failing fails the cell.
        c = cell("%%\n// expect: b", out("a b"), meta={"expect": ["a"]})
        self.assertEqual(rn.check_cell(c), [])
        c = cell("%%\n// expect: c", out("a b"), meta={"expect": ["a"]})
        self.assertIn("'c' not found", rn.check_cell(c)[0])

    def test_bad_metadata(self):
        self.assertIn("unknown expectation 'expects'", rn.check_cell(cell("%%", out("1"), meta={"expects": ["1"]}))[0])
        self.assertIn("want a string or a list", rn.check_cell(cell("%%", out("1"), meta={"expect": [1]}))[0])
        self.assertIn("want an object", rn.check_cell(cell("%%", out("1"), meta=["expect"]))[0])
        self.assertIn("empty expect", rn.check_cell(cell("%%", out("1"), meta={"expect": [""]}))[0])

    def test_move_markers(self):
        c = cell("%%\n// expect: a  b\n// expect-re: ^x$\nfmt.Println(1) // expect: not a marker\n"
                 "\t// expect-error: boom\n", meta={"expect": ["first"]})
        self.assertEqual(rn.move_markers(c), 3)
        self.assertEqual(c.source, "%%\nfmt.Println(1) // expect: not a marker")
        self.assertEqual(c.metadata["dlnb"], {"expect": ["first", "a  b"], "expect-re": ["^x$"], "expect-error": "boom"})
        self.assertEqual(rn.expectations(c.source), [])
        self.assertEqual([e.text for e in rn.cell_expectations(c)], ["first", "a  b", "^x$", "boom"])
        self.assertEqual(rn.move_markers(c), 0)  # a second time changes nothing
        md = cell("// expect: x")
        md.cell_type = "markdown"
        self.assertEqual(rn.move_markers(md), 0)

    def test_move_markers_rejects_typos(self):
        c = cell("%%\n// expect-eror: 1\nfmt.Println(1)")
        with self.assertRaises(rn.MarkerError):
            rn.move_markers(c)
        self.assertIn("expect-eror", c.source)  # nothing moved
        self.assertNotIn("dlnb", c.metadata)

    def test_move_keeps_checks_same(self):
        # What a cell checks does not change when its markers move.
        src = "%%\n// expect: loss: {0..1}\nfmt.Println(x)"
        for output, want in (("loss: 0.5", 0), ("loss: 3", 1)):
            before = rn.check_cell(cell(src, out(output)))
            moved = cell(src, out(output))
            rn.move_markers(moved)
            self.assertEqual(len(before), want)
            self.assertEqual(rn.check_cell(moved), before)


class TestBadFiles(unittest.TestCase):
    def test_not_a_notebook(self):
        import subprocess
        import tempfile
        with tempfile.NamedTemporaryFile("w", suffix=".ipynb", delete=False) as f:
            f.write("{not json")
        try:
            for mode in ("--move-markers", "--strip"):
                r = subprocess.run([sys.executable, rn.__file__, mode, f.name], capture_output=True, text=True)
                self.assertEqual(r.returncode, 1, mode)
                self.assertIn("cannot read it as a notebook", r.stderr)
                self.assertNotIn("Traceback", r.stderr)
        finally:
            os.remove(f.name)


class TestCheckClean(unittest.TestCase):
    def notebook(self, kernel="dlnb", outputs=()):
        import nbformat
        nb = nbformat.v4.new_notebook()
        nb.metadata = {"kernelspec": {"name": kernel, "display_name": "Go", "language": "go"}}
        c = nbformat.v4.new_code_cell("%%\nfmt.Println(1)")
        c["id"] = "c0"
        c.outputs = [nbformat.from_dict(o) for o in outputs]
        nb.cells.append(c)
        return nb

    def problems(self, nb, text=None):
        import nbformat
        return rn.check_clean("x.ipynb", text if text is not None else rn.canonical(nb, nbformat), "dlnb", nbformat)

    def test_clean(self):
        self.assertEqual(self.problems(self.notebook()), [])

    def test_outputs(self):
        p = self.problems(self.notebook(outputs=[out("1\n")]))
        self.assertIn("cell 0 has outputs", p[0])
        self.assertIn("--strip", p[-1])

    def test_kernel(self):
        self.assertIn("want name 'dlnb'", self.problems(self.notebook(kernel="gonb"))[0])

    def test_layout(self):
        import json
        nb = self.notebook()
        self.assertIn("canonical", self.problems(nb, json.dumps(nb))[0])

    def test_invalid(self):
        self.assertIn("not a valid notebook", self.problems(None, "{")[0])

    def test_strip_makes_clean(self):
        nb = self.notebook(outputs=[out("1\n")])
        nb.cells[0].execution_count = 3
        nb.metadata["language_info"] = {"name": "go", "version": "go1.26.8"}
        self.assertEqual(self.problems(rn.strip(nb)), [])
        self.assertNotIn("version", nb.metadata["language_info"])


class TestStripStdin(unittest.TestCase):
    """`--strip -`, the writer exercises/mkexercises writes its notebooks through."""
    tricky = os.path.join(os.path.dirname(__file__), "..", "exercises", "mkexercises", "testdata", "tricky.ipynb")

    def strip(self, data):
        return subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "run_notebooks.py"), "--strip", "-"],
                              input=data, capture_output=True)

    def test_round_trip(self):
        import json
        import nbformat
        with open(self.tricky, "rb") as f:
            want = f.read()
        for data in (want, json.dumps(json.loads(want)).encode()):  # the committed layout, and another
            r = self.strip(data)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout, want)
            nbformat.validate(nbformat.reads(r.stdout.decode("utf-8"), as_version=4))
        r = self.strip(b"[" + want + b"," + want + b"]")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([t.encode("utf-8") for t in json.loads(r.stdout)], [want, want])

    def test_invalid(self):
        r = self.strip(b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code"}]}')
        self.assertEqual(r.returncode, 1)
        self.assertIn("not a valid notebook", r.stderr.decode())
        self.assertNotIn("Traceback", r.stderr.decode())


if __name__ == "__main__":
    unittest.main()

package datasets

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// FuzzLoadCSV feeds the CSV loader arbitrary files and options: it must
// return a dataset whose parts fit together, or an error; never panic.
// Plain "go test" runs the seeds below and the committed corpus in
// testdata/fuzz/FuzzLoadCSV; "go test -fuzz=FuzzLoadCSV ./datasets/" explores.
//
// It calls ReadCSV, the reader LoadCSV opens the file for: a file per input
// would only slow the fuzzer down (LoadCSV's own file errors are tested in
// csv_test.go).
func FuzzLoadCSV(f *testing.F) {
	// The course files' first lines (whole files make each mutation, and
	// the minimizing of every new input, slow without finding more).
	f.Add(firstLines(hourlyWagesCSV, 12), "wage_per_hour", "", uint8(0), uint8(0))
	f.Add(firstLines(titanicCSV, 12), "survived", "age,fare,male", uint8(0), uint8(0))
	for _, seed := range []string{
		"",
		"a,b\n",
		"a,b\n1,2\n3,4\n",
		"a,b\n1,\n,4\n",
		"a,b\n1,NA\n2,4\n",
		"a,b,c\n1,2\n",
		"a,b\n1,2,3\n",
		"a,a\n1,2\n",
		"\uFEFFa,b\r\n1,True\r\n2,false\r\n",
		",a\n0,1\n",
		"a;b\n1;2\n",
		"a,b\n\"1\n\",2\n",
		"a,b\n1,\"2\n",
		"a,b\n1,inf\n",
		"a,b\n1,1e400\n",
		"a,b\n1,0x1p-2\n",
		"a\n1\n",
	} {
		for m := uint8(0); m < 4; m++ {
			f.Add([]byte(seed), "b", "", m, uint8(0))
		}
		f.Add([]byte(seed), "a", "b", uint8(0), uint8(';'))
	}
	f.Fuzz(func(t *testing.T, data []byte, target, features string, missing, comma uint8) {
		opts := CSVOptions{Target: target, Missing: Missing(missing % 4), Comma: rune(comma)}
		if features != "" {
			opts.Features = strings.Split(features, ",")
		}
		d, err := ReadCSV(bytes.NewReader(data), opts)
		if err != nil {
			if d != nil {
				t.Fatalf("a dataset and an error (%v)", err)
			}
			if !strings.HasPrefix(err.Error(), "datasets: ") {
				t.Fatalf("error without the package prefix: %v", err)
			}
			return
		}
		n := d.Len()
		if n == 0 || d.X == nil {
			t.Fatalf("success with no rows or no X: %v", d)
		}
		xr, xc := d.X.Dims()
		if xc != len(d.Features) {
			t.Fatalf("X has %d columns, Features %d", xc, len(d.Features))
		}
		if (d.Y == nil) != (target == "") || (d.Y != nil && d.Target != target) {
			t.Fatalf("target %q asked, Y nil %v, Target %q", target, d.Y == nil, d.Target)
		}
		if d.Y != nil {
			if yr, yc := d.Y.Dims(); yr != xr || yc != 1 {
				t.Fatalf("X is %dx%d, Y %dx%d", xr, xc, yr, yc)
			}
		}
		check := func(name string, vals []float64) {
			for _, v := range vals {
				if math.IsInf(v, 0) || (math.IsNaN(v) && opts.Missing != MissingNaN) {
					t.Fatalf("%s holds %v (Missing %d)", name, v, opts.Missing)
				}
			}
		}
		check("X", d.X.RawMatrix().Data)
		if d.Y != nil {
			check("Y", d.Y.RawMatrix().Data)
		}
		// Everything a user does next must not panic either.
		_ = d.String()
		_ = d.Head(3)
		_ = d.Tail(3)
		_ = d.Describe()
		if _, err := d.Summary(); err != nil {
			t.Fatal(err)
		}
		_, _ = d.YOneHot()
		if n > 1 {
			if _, _, err := TrainTestSplit(d, 0.5, 1); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func firstLines(b []byte, n int) []byte {
	lines := bytes.SplitAfterN(b, []byte("\n"), n+1)
	return bytes.Join(lines[:n], nil)
}

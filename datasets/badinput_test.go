package datasets

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestBadInputs is the package's table of bad input: every row is a mistake a
// user makes, with the words its error must contain (the problem and the
// fix). A new option gets its rows here when it lands. None may panic.
func TestBadInputs(t *testing.T) {
	long := strings.Repeat("x", 10<<20)
	csvCases := []struct {
		name, data string
		opts       CSVOptions
		want       []string
	}{
		{"empty file", "", CSVOptions{}, []string{"the file is empty", "header row"}},
		{"header only", "a,b\n", CSVOptions{}, []string{"no data rows", "add one row"}},
		{"unknown target", "a,b\n1,2\n", CSVOptions{Target: "c"}, []string{`target column "c" not found`, `"a", "b"`}},
		{"unknown feature", "a,b\n1,2\n", CSVOptions{Target: "a", Features: []string{"z"}}, []string{`feature column "z" not found`}},
		{"target as feature", "a,b\n1,2\n", CSVOptions{Target: "a", Features: []string{"a"}}, []string{"both the target and a feature"}},
		{"feature twice", "a,b,c\n1,2,3\n", CSVOptions{Target: "a", Features: []string{"b", "b"}}, []string{"listed twice"}},
		{"empty features", "a,b\n1,2\n", CSVOptions{Target: "a", Features: []string{}}, []string{"Features is an empty list"}},
		{"only the target", "a\n1\n", CSVOptions{Target: "a"}, []string{"only column is the target"}},
		{"duplicate header", "a,a\n1,2\n", CSVOptions{}, []string{`two columns "a"`, "rename one"}},
		{"ragged row", "a,b\n1,2,3\n", CSVOptions{}, []string{"line 2 has 3 cells but the header has 2 columns"}},
		{"text cell", "a,b\n1,two\n", CSVOptions{}, []string{`line 2, column "b"`, `"two" is not a number`}},
		{"missing value", "a,b\n1,\n", CSVOptions{}, []string{"1 missing value(s)", `line 2, column "b"`, "MissingMean"}},
		{"missing target with MissingMean", "a,b\n1,2\n,3\n", CSVOptions{Target: "a", Missing: MissingMean}, []string{"missing target", "delete those rows"}},
		{"infinite cell", "a,b\n1,inf\n", CSVOptions{}, []string{`"inf" is infinite`}},
		{"too large", "a,b\n1,1e400\n", CSVOptions{}, []string{"too large for a float64"}},
		{"hexadecimal", "a,b\n1,0x1p3\n", CSVOptions{}, []string{`"0x1p3" is a hexadecimal number`, "decimal"}},
		{"digit separators", "a,b\n1,1_000\n", CSVOptions{}, []string{`"1_000" is not a plain number`, "without the _"}},
		{"10 MB cell", "a,b\n1," + long + "\n", CSVOptions{}, []string{`"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"... (a cell of 10485760 bytes) is not a number`}},
		{"CR line endings", "a,b\r1,2\r3,4\r", CSVOptions{}, []string{"carriage return alone", "LF or CRLF"}},
		{"bad quote", "a,b\n1,\"2\n", CSVOptions{}, []string{"malformed CSV"}},
		{"bad comma", "a,b\n1,2\n", CSVOptions{Comma: '"'}, []string{"cannot separate fields"}},
		{"negative classes", "a,b\n1,2\n", CSVOptions{Classes: -1}, []string{"Classes is -1"}},
		{"unknown Missing", "a,b\n1,2\n", CSVOptions{Missing: 7}, []string{"unknown Missing option 7"}},
		{"semicolons", "a;b\n1;2\n", CSVOptions{Target: "b"}, []string{"set Comma"}},
	}
	for _, c := range csvCases {
		_, err := ReadCSV(strings.NewReader(c.data), c.opts)
		expectError(t, c.name, err, c.want)
	}
	_, err := ReadCSV(nil, CSVOptions{})
	expectError(t, "nil reader", err, []string{"the reader is nil", "strings.NewReader"})
	_, err = LoadCSV(t.TempDir()+"/none.csv", CSVOptions{})
	expectError(t, "missing file", err, []string{"no file", "check the name"})
	_, err = LoadCSV(t.TempDir(), CSVOptions{})
	expectError(t, "directory", err, []string{"is a directory"})

	oneHot := []struct {
		name    string
		labels  []float64
		classes int
		want    []string
	}{
		{"no labels", nil, 0, []string{"no labels"}},
		{"negative classes", []float64{0}, -2, []string{"numClasses is -2"}},
		{"fraction", []float64{0, 1.5}, 0, []string{"label 1 is 1.5", "whole numbers"}},
		{"NaN", []float64{math.NaN()}, 0, []string{"label 0 is NaN"}},
		{"above numClasses", []float64{0, 3}, 3, []string{"label 1 is 3 but numClasses is 3"}},
		{"huge label", []float64{1e300}, 0, []string{"is this column really a class label?"}},
		{"huge class count", []float64{0}, 1 << 30, []string{"is this column really a class label?"}},
	}
	for _, c := range oneHot {
		_, err := OneHot(c.labels, c.classes)
		expectError(t, "OneHot "+c.name, err, c.want)
	}

	d := &Dataset{X: mat.NewDense(4, 1, []float64{1, 2, 3, 4}), Y: mat.NewDense(4, 1, []float64{0, 1, 0, 1})}
	for _, f := range []float64{-0.1, 1, 1.5, math.NaN()} {
		_, _, err := TrainTestSplit(d, f, 1)
		expectError(t, "TrainTestSplit fraction", err, []string{"datasets: TrainTestSplit"})
	}
	_, _, err = TrainTestSplit(nil, 0.3, 1)
	expectError(t, "TrainTestSplit nil", err, []string{"datasets: TrainTestSplit"})

	var s StandardScaler
	_, err = s.Transform(mat.NewDense(1, 1, []float64{1}))
	expectError(t, "Transform before Fit", err, []string{"datasets:"})
	err = s.Fit(mat.NewDense(2, 1, []float64{1, math.NaN()}))
	expectError(t, "Fit NaN", err, []string{"datasets:"})
}

func expectError(t *testing.T, name string, err error, want []string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error", name)
		return
	}
	msg := err.Error()
	if len(msg) > 2000 {
		t.Errorf("%s: a %d-byte error message; quote less", name, len(msg))
	}
	if !strings.HasPrefix(msg, "datasets: ") {
		t.Errorf("%s: %q lacks the package prefix", name, msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("%s: error %q does not say %q", name, msg, w)
		}
	}
}

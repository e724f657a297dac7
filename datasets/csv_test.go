package datasets

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// writeCSV writes content to a file in a fresh temporary directory.
func writeCSV(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "data.csv")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadCSVReadsNumbersAndBooleans(t *testing.T) {
	p := writeCSV(t, "name,y,a,flag,b\r\nann, 1.5 ,2,True,-3e2\r\nbob,0,4,false,0.25\r\ncy,1,6,TRUE,1\r\n")
	d, err := LoadCSV(p, CSVOptions{Target: "y", Features: []string{"flag", "a", "b"}, Classes: 2})
	if err != nil {
		t.Fatal(err)
	}
	if d.Target != "y" || d.Classes != 2 || strings.Join(d.Features, ",") != "flag,a,b" {
		t.Fatalf("target %q classes %d features %v", d.Target, d.Classes, d.Features)
	}
	wantX := [][]float64{{1, 2, -300}, {0, 4, 0.25}, {1, 6, 1}}
	wantY := []float64{1.5, 0, 1}
	for i := range wantX {
		if d.Y.At(i, 0) != wantY[i] {
			t.Errorf("Y[%d] = %v, want %v", i, d.Y.At(i, 0), wantY[i])
		}
		for j, w := range wantX[i] {
			if d.X.At(i, j) != w {
				t.Errorf("X[%d][%d] = %v, want %v", i, j, d.X.At(i, j), w)
			}
		}
	}
}

func TestLoadCSVDefaultsToAllOtherColumns(t *testing.T) {
	d, err := LoadCSV(writeCSV(t, "\uFEFFa,b,c\n1,2,3\n4,5,6\n"), CSVOptions{Target: "b"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(d.Features, ",") != "a,c" || d.X.At(1, 1) != 6 || d.Y.At(1, 0) != 5 {
		t.Fatalf("features %v X %v Y %v", d.Features, d.X.RawMatrix().Data, d.Y.RawMatrix().Data)
	}
	// No target: every column is a predictor and Y is nil.
	d, err = LoadCSV(writeCSV(t, "a,b\n1,2\n"), CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Y != nil || d.NumFeatures() != 2 || d.Target != "" {
		t.Fatalf("no target: Y %v, %d features, target %q", d.Y, d.NumFeatures(), d.Target)
	}
	// A file written by pandas' to_csv starts with an unnamed index column.
	d, err = LoadCSV(writeCSV(t, ",a\n0,7\n1,8\n"), CSVOptions{Target: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(d.Features, ",") != "Unnamed: 0" {
		t.Fatalf("features %v, want [Unnamed: 0]", d.Features)
	}
}

func TestLoadCSVSemicolons(t *testing.T) {
	p := writeCSV(t, "a;b\n1;2\n")
	d, err := LoadCSV(p, CSVOptions{Target: "b", Comma: ';'})
	if err != nil {
		t.Fatal(err)
	}
	if d.X.At(0, 0) != 1 || d.Y.At(0, 0) != 2 {
		t.Fatal("wrong values")
	}
	_, err = LoadCSV(p, CSVOptions{Target: "b"})
	wantErr(t, err, `target column "b" not found`, `the columns are "a;b"`, "set Comma")
}

func TestLoadCSVMissingValues(t *testing.T) {
	content := "y,a,b\n1,,2\n0,4,NA\n1,6,8\n0,n/a,null\n"
	_, err := LoadCSV(writeCSV(t, content), CSVOptions{Target: "y"})
	wantErr(t, err, "data.csv", "4 missing value(s)", `the first at line 2, column "a" (row 0 of the data)`, "MissingMean", "MissingNaN")

	d, err := LoadCSV(writeCSV(t, content), CSVOptions{Target: "y", Missing: MissingNaN})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(d.X.At(0, 0)) || !math.IsNaN(d.X.At(1, 1)) || d.X.At(2, 1) != 8 {
		t.Fatalf("MissingNaN: X = %v", d.X.RawMatrix().Data)
	}
	s, _ := d.Summary()
	if s[1].Name != "a" || s[1].Count != 2 || s[1].Mean != 5 {
		t.Fatalf("describe counts NaN out like pandas: %+v", s[1])
	}

	d, err = LoadCSV(writeCSV(t, content), CSVOptions{Target: "y", Missing: MissingMean})
	if err != nil {
		t.Fatal(err)
	}
	// a: mean of 4 and 6 is 5; b: mean of 2 and 8 is 5.
	want := []float64{5, 2, 4, 5, 6, 8, 5, 5}
	for i, w := range d.X.RawMatrix().Data {
		if w != want[i] {
			t.Fatalf("MissingMean: X = %v, want %v", d.X.RawMatrix().Data, want)
		}
	}

	_, err = LoadCSV(writeCSV(t, "y,a\n1,2\n,3\n"), CSVOptions{Target: "y", Missing: MissingMean})
	wantErr(t, err, "1 missing target value(s)", `line 3, column "y"`, "delete those rows")

	_, err = LoadCSV(writeCSV(t, "y,a\n1,\n0,NaN\n"), CSVOptions{Target: "y", Missing: MissingMean})
	wantErr(t, err, `column "a" has no values at all`, "leave it out of Features")

	_, err = LoadCSV(writeCSV(t, "y,a\n1,2\n"), CSVOptions{Target: "y", Missing: Missing(7)})
	wantErr(t, err, "unknown Missing option 7", "MissingError")
}

// wantErr checks that err names the problem and the fix.
func wantErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want one mentioning %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not mention %q", err, p)
		}
	}
}

func TestLoadCSVErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		content string
		opts    CSVOptions
		want    []string
	}{
		{"empty file", "", CSVOptions{}, []string{"data.csv", "the file is empty", "header row"}},
		{"blank lines only", "\n\n\n", CSVOptions{}, []string{"the file is empty"}},
		{"header only", "a,b\n", CSVOptions{Target: "a"}, []string{"no data rows", "add one row per example"}},
		{"missing target", "a,b\n1,2\n", CSVOptions{Target: "wage"}, []string{`target column "wage" not found`, `the columns are "a", "b"`}},
		{"missing feature", "a,b\n1,2\n", CSVOptions{Target: "a", Features: []string{"c"}}, []string{`feature column "c" not found`, `"a", "b"`}},
		{"text cell", "a,b\n1,2\n3,abc\n", CSVOptions{Target: "a"}, []string{`line 3, column "b"`, `"abc" is not a number`, "leave the column out of Features"}},
		{"text cell after a quoted newline", "a,b\n\"1\n\",2\n3,x y\n", CSVOptions{}, []string{`line 4, column "b"`, `"x y"`}},
		{"too few cells", "a,b,c\n1,2,3\n4,5\n", CSVOptions{}, []string{"line 3 has 2 cells but the header has 3 columns", `"a", "b", "c"`}},
		{"too many cells", "a,b\n1,2,3\n", CSVOptions{}, []string{"line 2 has 3 cells but the header has 2 columns"}},
		{"infinite", "a,b\n1,inf\n", CSVOptions{}, []string{`line 2, column "b"`, `"inf" is infinite`}},
		{"out of range", "a,b\n1,1e400\n", CSVOptions{}, []string{`"1e400" is too large`}},
		{"duplicate header", "a,b,a\n1,2,3\n", CSVOptions{}, []string{`two columns "a" (columns 1 and 3`, "rename one"}},
		{"target is a feature", "a,b\n1,2\n", CSVOptions{Target: "a", Features: []string{"b", "a"}}, []string{`"a" is both the target and a feature`, "remove it from Features"}},
		{"feature twice", "a,b,c\n1,2,3\n", CSVOptions{Target: "a", Features: []string{"b", "b"}}, []string{`feature "b" is listed twice`}},
		{"empty feature list", "a,b\n1,2\n", CSVOptions{Target: "a", Features: []string{}}, []string{"Features is an empty list"}},
		{"only the target", "a\n1\n", CSVOptions{Target: "a"}, []string{`the only column is the target "a"`}},
		{"bad quote", "a,b\n1,\"2\n", CSVOptions{}, []string{"line 2", "malformed CSV", "doubled"}},
		{"bare quote", "a,b\n1,2\"x\n", CSVOptions{}, []string{"line 2", "malformed CSV"}},
		{"bad comma", "a,b\n1,2\n", CSVOptions{Comma: '"'}, []string{"cannot separate fields"}},
		{"negative classes", "a,b\n1,2\n", CSVOptions{Classes: -1}, []string{"Classes is -1"}},
		{"many columns", manyColumns(41) + "\n1\n", CSVOptions{}, []string{"line 2 has 1 cells but the header has 41 columns", `"c28", "c29", ... (41 columns in all)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, "data.csv")
			if err := os.WriteFile(p, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			d, err := LoadCSV(p, tc.opts)
			if d != nil {
				t.Errorf("got a dataset with an error")
			}
			wantErr(t, err, tc.want...)
		})
	}
}

func TestLoadCSVFileErrors(t *testing.T) {
	_, err := LoadCSV(filepath.Join(t.TempDir(), "nope.csv"), CSVOptions{})
	wantErr(t, err, `no file "`, "nope.csv", "relative paths start in", "check the name")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %v does not wrap fs.ErrNotExist", err)
	}
	_, err = LoadCSV(t.TempDir(), CSVOptions{})
	wantErr(t, err, "is a directory", "give the path of a .csv file")
}

func TestReadCSVNamesItsSource(t *testing.T) {
	_, err := ReadCSV(strings.NewReader("a\nx\n"), CSVOptions{})
	wantErr(t, err, "datasets: CSV: line 2")
	// A file name with a % in it is printed as it is.
	p := filepath.Join(t.TempDir(), "100%d.csv")
	os.WriteFile(p, []byte("a\nx\n"), 0o644)
	_, err = LoadCSV(p, CSVOptions{})
	wantErr(t, err, "100%d.csv: line 2")
}

// manyColumns returns a header of n columns c0, c1, ...
func manyColumns(n int) string {
	names := make([]string, n)
	for i := range names {
		names[i] = "c" + strconv.Itoa(i)
	}
	return strings.Join(names, ",")
}

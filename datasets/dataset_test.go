package datasets

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestZeroAndNilDataset(t *testing.T) {
	for _, d := range []*Dataset{{}, nil} {
		if d.Len() != 0 || d.NumFeatures() != 0 {
			t.Errorf("empty dataset: Len %d, NumFeatures %d", d.Len(), d.NumFeatures())
		}
		if got := d.String(); got != "Dataset: empty" {
			t.Errorf("String() = %q", got)
		}
		for _, s := range []string{d.Head(0), d.Tail(3), d.Describe()} {
			if s != "Empty Dataset\n" {
				t.Errorf("empty table printed as %q", s)
			}
		}
		if s, err := d.Summary(); err != nil || len(s) != 0 {
			t.Errorf("Summary() = %v, %v", s, err)
		}
		_, err := d.YOneHot()
		wantErr(t, err, "no target")
		_, err = d.Slice(0, 1)
		wantErr(t, err, "Slice(0, 1) of a dataset with 0 rows")
		_, err = d.Column("a")
		wantErr(t, err, `no column "a"`)
		_, _, err = TrainTestSplit(d, 0.2, 1)
		wantErr(t, err, "0 rows")
	}
}

// A dataset built by hand whose parts do not fit is an error, not a panic.
func TestMismatchedDataset(t *testing.T) {
	d := &Dataset{X: mat.NewDense(3, 2, nil), Y: mat.NewDense(2, 1, nil)}
	_, err := d.Summary()
	wantErr(t, err, "X has 3 rows (3x2) but Y has 2 (2x1)")
	if !strings.Contains(d.Head(5), "X has 3 rows") || !strings.Contains(d.Describe(), "X has 3 rows") || !strings.Contains(d.String(), "X has 3 rows") {
		t.Error("printing a broken dataset does not say what is wrong")
	}
	_, _, err = TrainTestSplit(d, 0.5, 1)
	wantErr(t, err, "X has 3 rows")
	d = &Dataset{X: mat.NewDense(3, 2, nil), Features: []string{"a"}}
	_, err = d.Slice(0, 1)
	wantErr(t, err, "X has 2 columns but Features names 1")
	_, err = d.YOneHot()
	wantErr(t, err, "X has 2 columns but Features names 1")
}

func TestHeadTail(t *testing.T) {
	want := `   survived  pclass  age  sibsp  parch     fare  male  age_was_missing  embarked_from_cherbourg  embarked_from_queenstown  embarked_from_southampton
0         0       3   22      1      0   7.2500     1                0                        0                         0                          1
1         1       1   38      1      0  71.2833     0                0                        1                         0                          0
2         1       3   26      0      0   7.9250     0                0                        0                         0                          1
`
	if got := Titanic().Head(3); got != want {
		t.Errorf("Titanic().Head(3) =\n%s\nwant\n%s", got, want)
	}
	// The last rows of the file: ages 26 and 32, fares 30.0 and 7.75.
	tail := HourlyWages().Tail(2)
	lines := strings.Split(strings.TrimRight(tail, "\n"), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "532") || !strings.HasPrefix(lines[2], "533") {
		t.Errorf("HourlyWages().Tail(2) =\n%s", tail)
	}
	if n := len(strings.Split(strings.TrimRight(Titanic().Head(0), "\n"), "\n")); n != 6 {
		t.Errorf("Head(0) printed %d lines, want 6 (header + pandas' default 5 rows)", n)
	}
	if n := len(strings.Split(strings.TrimRight(TitanicPredData().Head(1000), "\n"), "\n")); n != 92 {
		t.Errorf("Head(1000) of 91 rows printed %d lines, want 92", n)
	}
	// NaN prints as pandas prints it; decimals are shared within a column.
	d := &Dataset{X: mat.NewDense(2, 2, []float64{math.NaN(), 1.5, 2, 0.125}), Features: []string{"a", "b"}}
	want = "     a      b\n0  NaN  1.500\n1    2  0.125\n"
	if got := d.Head(2); got != want {
		t.Errorf("Head with NaN =\n%q\nwant\n%q", got, want)
	}
}

func TestWideTablesAreShortened(t *testing.T) {
	d := &Dataset{X: mat.NewDense(2, 30, nil), Y: mat.NewDense(2, 1, nil)}
	for _, s := range []string{d.Head(2), d.Describe()} {
		header := strings.Fields(strings.SplitN(s, "\n", 2)[0])
		// y, x0..x8 (the first 10), "...", x20..x29 (the last 10 of 31 columns)
		if len(header) != 21 || header[0] != "y" || header[9] != "x8" || header[10] != "..." || header[11] != "x20" || header[20] != "x29" {
			t.Errorf("wide header %v", header)
		}
	}
	if s := d.String(); !strings.Contains(s, "x0, x1, x2, x3, x4, ..., x25") {
		t.Errorf("String() = %q", s)
	}
}

func TestColumnAndSlice(t *testing.T) {
	d := Titanic()
	fares, err := d.Column("fare")
	if err != nil {
		t.Fatal(err)
	}
	if len(fares) != 891 || fares[1] != 71.2833 {
		t.Fatalf("fare column: %d values, fares[1] = %v", len(fares), fares[1])
	}
	fares[1] = 0 // a copy
	if d.X.At(1, 4) != 71.2833 {
		t.Error("Column returned a view, not a copy")
	}
	surv, _ := d.Column("survived")
	if surv[1] != 1 {
		t.Errorf("survived[1] = %v", surv[1])
	}
	_, err = d.Column("Fare")
	wantErr(t, err, `no column "Fare"`, `"survived", "pclass"`)

	s, err := d.Slice(800, 891)
	if err != nil {
		t.Fatal(err)
	}
	p := TitanicPredData()
	if s.Len() != 91 || s.Y == nil || s.Classes != 2 || !mat.Equal(s.X, p.X) {
		t.Error("Titanic().Slice(800, 891) is not pred_data with its targets")
	}
	s.X.Set(0, 0, -1)
	if d.X.At(800, 0) == -1 {
		t.Error("Slice returned a view, not a copy")
	}
	for _, r := range [][2]int{{-1, 3}, {3, 3}, {5, 2}, {0, 892}} {
		_, err := d.Slice(r[0], r[1])
		wantErr(t, err, "need 0 <= from < to <= 891")
	}
}

func TestYOneHot(t *testing.T) {
	d := &Dataset{X: mat.NewDense(3, 1, nil), Y: mat.NewDense(3, 1, []float64{0, 2, 1}), Target: "digit", Classes: 4}
	y, err := d.YOneHot()
	if err != nil {
		t.Fatal(err)
	}
	want := mat.NewDense(3, 4, []float64{1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0})
	if !mat.Equal(y, want) {
		t.Errorf("YOneHot with Classes 4 = %v", mat.Formatted(y))
	}
	d.Classes = 0 // Keras: max+1
	if y, _ := d.YOneHot(); y.RawMatrix().Cols != 3 {
		t.Errorf("Classes 0 gives %d columns, want max+1 = 3", y.RawMatrix().Cols)
	}
	_, err = HourlyWages().YOneHot()
	wantErr(t, err, "label 0 is 5.1", `target "wage_per_hour"`, "class label")
	d.Y = mat.NewDense(3, 2, nil)
	_, err = d.YOneHot()
	wantErr(t, err, "Y is 3x2", "single column")
}

func TestOneHot(t *testing.T) {
	y, err := OneHot([]float64{1, 0, 3}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := mat.NewDense(3, 4, []float64{0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1})
	if !mat.Equal(y, want) {
		t.Errorf("OneHot = %v", mat.Formatted(y))
	}
	for _, tc := range []struct {
		labels []float64
		n      int
		want   string
	}{
		{nil, 0, "no labels"},
		{[]float64{0, -1}, 0, "label 1 is -1"},
		{[]float64{0.5}, 0, "label 0 is 0.5"},
		{[]float64{math.NaN()}, 0, "label 0 is NaN"},
		{[]float64{0, 3}, 3, "label 1 is 3 but numClasses is 3"},
		{[]float64{0}, -2, "numClasses is -2"},
		{[]float64{0, 1e9}, 0, "would need"},
	} {
		_, err := OneHot(tc.labels, tc.n)
		wantErr(t, err, tc.want)
	}
}

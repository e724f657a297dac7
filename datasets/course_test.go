package datasets

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The embedded files must be the ones PROVENANCE.md describes, byte for byte.
func TestCourseFilesSHA256(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"hourly_wages.csv", hourlyWagesCSV, "0fd55080ae8e67ffe534e5ffba1f0e3a6b41e60c93da32f31d92c01318cf5a22"},
		{"titanic_all_numeric.csv", titanicCSV, "f124f8d13addd8d32f6780034d06d1697513e16c32ecf527e2421e15addae783"},
	} {
		sum := sha256.Sum256(tc.data)
		if got := hex.EncodeToString(sum[:]); got != tc.want {
			t.Errorf("%s: sha256 %s, want %s (the provenance in doc.go and NOTICE describes the file with that hash)", tc.name, got, tc.want)
		}
	}
}

func TestHourlyWagesShape(t *testing.T) {
	d := HourlyWages()
	wantFeatures := []string{"union", "education_yrs", "experience_yrs", "age", "female", "marr", "south", "manufacturing", "construction"}
	if d.Len() != 534 || d.NumFeatures() != 9 || d.Target != "wage_per_hour" || d.Classes != 0 {
		t.Fatalf("HourlyWages: %d rows, %d features, target %q, classes %d; want 534, 9, wage_per_hour, 0", d.Len(), d.NumFeatures(), d.Target, d.Classes)
	}
	if strings.Join(d.Features, ",") != strings.Join(wantFeatures, ",") {
		t.Errorf("features %v, want %v", d.Features, wantFeatures)
	}
	// First row of the file: 5.1,0,8,21,35,1,1,0,1,0.
	if got := d.Y.At(0, 0); got != 5.1 {
		t.Errorf("first wage %v, want 5.1", got)
	}
	want := []float64{0, 8, 21, 35, 1, 1, 0, 1, 0}
	for j, w := range want {
		if got := d.X.At(0, j); got != w {
			t.Errorf("X[0][%d] = %v, want %v", j, got, w)
		}
	}
	// Each call is a fresh copy: changing one does not change the next.
	d.X.Set(0, 0, 99)
	if HourlyWages().X.At(0, 0) != 0 {
		t.Error("HourlyWages returned shared data: a change to one result showed in the next")
	}
}

func TestTitanicShape(t *testing.T) {
	d := Titanic()
	wantFeatures := []string{"pclass", "age", "sibsp", "parch", "fare", "male", "age_was_missing",
		"embarked_from_cherbourg", "embarked_from_queenstown", "embarked_from_southampton"}
	if d.Len() != 891 || d.NumFeatures() != 10 || d.Target != "survived" || d.Classes != 2 {
		t.Fatalf("Titanic: %d rows, %d features, target %q, classes %d; want 891, 10, survived, 2", d.Len(), d.NumFeatures(), d.Target, d.Classes)
	}
	if strings.Join(d.Features, ",") != strings.Join(wantFeatures, ",") {
		t.Errorf("features %v, want %v", d.Features, wantFeatures)
	}
	// age_was_missing is True for the 177 passengers without an age, whose
	// age was set to the mean.
	missing, err := d.Column("age_was_missing")
	if err != nil {
		t.Fatal(err)
	}
	ages, _ := d.Column("age")
	n := 0
	for i, v := range missing {
		switch v {
		case 1:
			n++
			if math.Abs(ages[i]-29.69911764705882) > 1e-12 {
				t.Errorf("row %d: age_was_missing but age %v, want the mean 29.69911764705882", i, ages[i])
			}
		case 0:
		default:
			t.Errorf("row %d: age_was_missing %v, want 0 or 1", i, v)
		}
	}
	if n != 177 {
		t.Errorf("%d passengers with age_was_missing, want 177", n)
	}
	y, err := d.YOneHot()
	if err != nil {
		t.Fatal(err)
	}
	if r, c := y.Dims(); r != 891 || c != 2 {
		t.Fatalf("YOneHot is %dx%d, want 891x2", r, c)
	}
	for i := 0; i < 891; i++ {
		s := d.Y.At(i, 0)
		if y.At(i, int(s)) != 1 || y.At(i, 1-int(s)) != 0 {
			t.Fatalf("row %d: survived %v, one-hot %v %v", i, s, y.At(i, 0), y.At(i, 1))
		}
	}
}

// TitanicPredData must be the last 91 rows of the file, read here with
// encoding/csv directly, without the survived column.
func TestTitanicPredData(t *testing.T) {
	f, err := os.Open("data/titanic_all_numeric.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows := recs[1:]
	p := TitanicPredData()
	if p.Len() != 91 || p.NumFeatures() != 10 || p.Y != nil || p.Target != "" {
		t.Fatalf("pred data: %d rows, %d features, Y nil %v, target %q; want 91, 10, true, \"\"", p.Len(), p.NumFeatures(), p.Y == nil, p.Target)
	}
	if strings.Join(p.Features, ",") != strings.Join(recs[0][1:], ",") {
		t.Errorf("features %v, want %v", p.Features, recs[0][1:])
	}
	for i := 0; i < 91; i++ {
		rec := rows[800+i]
		for j, text := range rec[1:] {
			want := map[string]float64{"True": 1, "False": 0}[text]
			if text != "True" && text != "False" {
				want, _ = strconv.ParseFloat(text, 64)
			}
			if got := p.X.At(i, j); got != want {
				t.Fatalf("pred row %d (file line %d) column %s: %v, want %v", i, 802+i, recs[0][j+1], got, want)
			}
		}
	}
}

// The course's describe() tables, every number. The expected values were
// computed independently of this package, with Python's standard library
// from the CSV files (csv module; True/False read as 1/0):
//
//	count = len(col); mean = statistics.fmean(col); std = statistics.stdev(col)
//	(sample std, ddof=1, as pandas); min/max of the sorted column;
//	25%/50%/75% = statistics.quantiles(col, n=4, method="inclusive"),
//	which is numpy's and pandas' default linear interpolation.
//
// Tolerance: 1e-12 relative (plus 1e-15 absolute for zeros): both sides
// compute in float64 (Python exactly rounded, Go with two passes), and
// the printed table must match the same numbers rounded to 6 decimals.
var describeWant = map[string][]ColumnSummary{
	"hourly_wages": {
		{"wage_per_hour", 534, 9.024063670411985, 5.139096854140683, 1.0, 5.25, 7.78, 11.25, 44.5},
		{"union", 534, 0.1797752808988764, 0.38436022482460286, 0.0, 0.0, 0.0, 0.0, 1.0},
		{"education_yrs", 534, 13.0187265917603, 2.615372628354363, 2.0, 12.0, 12.0, 15.0, 18.0},
		{"experience_yrs", 534, 17.822097378277153, 12.379710087848084, 0.0, 8.0, 15.0, 26.0, 55.0},
		{"age", 534, 36.833333333333336, 11.726572722555634, 18.0, 28.0, 35.0, 44.0, 64.0},
		{"female", 534, 0.45880149812734083, 0.49876702190159705, 0.0, 0.0, 0.0, 1.0, 1.0},
		{"marr", 534, 0.6554307116104869, 0.4756732188567893, 0.0, 0.0, 1.0, 1.0, 1.0},
		{"south", 534, 0.29213483146067415, 0.45517035198767414, 0.0, 0.0, 0.0, 1.0, 1.0},
		{"manufacturing", 534, 0.1853932584269663, 0.38898064555788764, 0.0, 0.0, 0.0, 0.0, 1.0},
		{"construction", 534, 0.0449438202247191, 0.2073750366932815, 0.0, 0.0, 0.0, 0.0, 1.0},
	},
	"titanic": {
		{"survived", 891, 0.3838383838383838, 0.48659245426485753, 0.0, 0.0, 0.0, 1.0, 1.0},
		{"pclass", 891, 2.308641975308642, 0.836071240977049, 1.0, 2.0, 3.0, 3.0, 3.0},
		{"age", 891, 29.699117647058824, 13.002015226002884, 0.42, 22.0, 29.69911764705882, 35.0, 80.0},
		{"sibsp", 891, 0.5230078563411896, 1.1027434322934317, 0.0, 0.0, 0.0, 1.0, 8.0},
		{"parch", 891, 0.38159371492704824, 0.8060572211299483, 0.0, 0.0, 0.0, 0.0, 6.0},
		{"fare", 891, 32.204207968574636, 49.6934285971809, 0.0, 7.9104, 14.4542, 31.0, 512.3292},
		{"male", 891, 0.6475869809203143, 0.47799007089609813, 0.0, 0.0, 1.0, 1.0, 1.0},
		{"age_was_missing", 891, 0.19865319865319866, 0.39921043398804806, 0.0, 0.0, 0.0, 0.0, 1.0},
		{"embarked_from_cherbourg", 891, 0.18855218855218855, 0.3913721645054733, 0.0, 0.0, 0.0, 0.0, 1.0},
		{"embarked_from_queenstown", 891, 0.08641975308641975, 0.2811406921417042, 0.0, 0.0, 0.0, 0.0, 1.0},
		{"embarked_from_southampton", 891, 0.7227833894500562, 0.44787575674129604, 0.0, 0.0, 1.0, 1.0, 1.0},
	},
}

func summaryValues(s ColumnSummary) []float64 {
	return []float64{float64(s.Count), s.Mean, s.Std, s.Min, s.Q25, s.Q50, s.Q75, s.Max}
}

var statNames = []string{"count", "mean", "std", "min", "25%", "50%", "75%", "max"}

func TestDescribeCourseTables(t *testing.T) {
	for name, d := range map[string]*Dataset{"hourly_wages": HourlyWages(), "titanic": Titanic()} {
		want := describeWant[name]
		got, err := d.Summary()
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d columns described, want %d", name, len(got), len(want))
		}
		// The printed table: header row of column names, then one row per
		// statistic with six decimals, like pandas.
		lines := strings.Split(strings.TrimRight(d.Describe(), "\n"), "\n")
		if len(lines) != 9 {
			t.Fatalf("%s: Describe has %d lines, want 9:\n%s", name, len(lines), d.Describe())
		}
		header := strings.Fields(lines[0])
		for j, w := range want {
			if got[j].Name != w.Name || header[j] != w.Name {
				t.Errorf("%s: column %d is %q (printed %q), want %q", name, j, got[j].Name, header[j], w.Name)
			}
			gv, wv := summaryValues(got[j]), summaryValues(w)
			for k := range wv {
				if math.Abs(gv[k]-wv[k]) > 1e-12*math.Abs(wv[k])+1e-15 {
					t.Errorf("%s %s %s = %.17g, want %.17g", name, w.Name, statNames[k], gv[k], wv[k])
				}
				fields := strings.Fields(lines[k+1])
				if fields[0] != statNames[k] {
					t.Fatalf("%s: row %d of Describe is %q, want %q", name, k+1, fields[0], statNames[k])
				}
				if p := strconv.FormatFloat(wv[k], 'f', 6, 64); fields[j+1] != p {
					t.Errorf("%s: Describe prints %s %s as %s, want %s", name, w.Name, statNames[k], fields[j+1], p)
				}
			}
		}
	}
}

// The numbers the course's printed tables show (rounded to six decimals).
func TestDescribeCourseAnchors(t *testing.T) {
	wages, titanic := HourlyWages().Describe(), Titanic().Describe()
	for _, tc := range []struct {
		table, column, stat, want string
	}{
		{wages, "wage_per_hour", "mean", "9.024064"},
		{wages, "wage_per_hour", "std", "5.139097"},
		{titanic, "age", "max", "80.000000"},
		{titanic, "age", "min", "0.420000"},
		{titanic, "survived", "mean", "0.383838"},
		{titanic, "fare", "max", "512.329200"},
	} {
		if got := cell(t, tc.table, tc.column, tc.stat); got != tc.want {
			t.Errorf("%s %s printed %s, want %s", tc.column, tc.stat, got, tc.want)
		}
	}
}

// cell finds a value in a printed table by column name and row name.
func cell(t *testing.T, table, column, row string) string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(table, "\n"), "\n")
	header := strings.Fields(lines[0])
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if f[0] != row {
			continue
		}
		for j, h := range header {
			if h == column {
				return f[j+1]
			}
		}
	}
	t.Fatalf("no cell %s/%s in\n%s", column, row, table)
	return ""
}

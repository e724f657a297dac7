package datasets

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Dataset is a table of numbers split into predictors and a target, in the
// form nn.Fit takes directly: model.Fit(d.X, d.Y, ...).
//
// Row i of X holds the predictors of example i and row i of Y its target.
// Features names the columns of X and Target the column of Y; the names are
// kept for printing (Head, Describe) and for Column.
//
// The zero value is an empty dataset: Len is 0, Head and Describe print an
// empty table.
type Dataset struct {
	// X holds the predictors, one row per example (Len() x len(Features)).
	X *mat.Dense
	// Y holds the target, one row per example and one column; nil when the
	// data has no target (for example TitanicPredData).
	Y *mat.Dense
	// Features names the columns of X, in order.
	Features []string
	// Target names the column of Y ("" when Y is nil).
	Target string
	// Classes is the number of classes when the target is a class label
	// (2 for Titanic, 10 for MNIST), 0 for a regression target or when
	// unknown. YOneHot uses it; 0 means Keras' rule, max(label)+1.
	Classes int
}

// Len returns the number of examples (rows).
func (d *Dataset) Len() int {
	switch {
	case d == nil:
		return 0
	case d.X != nil:
		r, _ := d.X.Dims()
		return r
	case d.Y != nil:
		r, _ := d.Y.Dims()
		return r
	}
	return 0
}

// NumFeatures returns the number of predictor columns (columns of X).
func (d *Dataset) NumFeatures() int {
	if d == nil || d.X == nil {
		return 0
	}
	_, c := d.X.Dims()
	return c
}

// String describes the dataset in one line, for fmt.Println(d).
func (d *Dataset) String() string {
	if err := d.check(); err != nil {
		return err.Error()
	}
	if d.Len() == 0 {
		return "Dataset: empty"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Dataset: %d rows, %d features", d.Len(), d.NumFeatures())
	names := d.featureNames()
	if len(names) > 0 {
		shown := names
		if len(shown) > 12 {
			shown = append(append([]string{}, names[:5]...), "...")
			shown = append(shown, names[len(names)-5:]...)
		}
		fmt.Fprintf(&b, " (%s)", strings.Join(shown, ", "))
	}
	if d.Y != nil {
		fmt.Fprintf(&b, ", target %s", d.targetName())
		if d.Classes > 0 {
			fmt.Fprintf(&b, " (%d classes)", d.Classes)
		}
	} else {
		b.WriteString(", no target")
	}
	return b.String()
}

// check reports a Dataset whose parts do not fit together (possible when a
// user builds one by hand), so that methods fail clearly instead of panicking.
func (d *Dataset) check() error {
	if d == nil {
		return nil
	}
	if d.X != nil && d.Y != nil {
		xr, xc := d.X.Dims()
		yr, yc := d.Y.Dims()
		if xr != yr {
			return fmt.Errorf("datasets: X has %d rows (%dx%d) but Y has %d (%dx%d); every example needs one row in each", xr, xr, xc, yr, yr, yc)
		}
	}
	if d.X != nil && len(d.Features) != 0 {
		_, xc := d.X.Dims()
		if xc != len(d.Features) {
			return fmt.Errorf("datasets: X has %d columns but Features names %d; give one name per column (or none)", xc, len(d.Features))
		}
	}
	return nil
}

// featureNames returns Features, or x0, x1, ... when none are set.
func (d *Dataset) featureNames() []string {
	n := d.NumFeatures()
	if n > 0 && len(d.Features) == n {
		return d.Features
	}
	names := make([]string, n)
	for i := range names {
		names[i] = "x" + strconv.Itoa(i)
	}
	return names
}

func (d *Dataset) targetName() string {
	if d.Target != "" {
		return d.Target
	}
	return "y"
}

// columns returns the dataset as named columns, the target first (the
// course's CSV files have the target as their first column, and pandas'
// head and describe show it there).
func (d *Dataset) columns() (names []string, cols []mat.Vector) {
	if d == nil {
		return nil, nil
	}
	if d.Y != nil {
		_, yc := d.Y.Dims()
		for j := 0; j < yc; j++ {
			name := d.targetName()
			if yc > 1 {
				name += "_" + strconv.Itoa(j)
			}
			names = append(names, name)
			cols = append(cols, d.Y.ColView(j))
		}
	}
	if d.X != nil {
		for j, name := range d.featureNames() {
			names = append(names, name)
			cols = append(cols, d.X.ColView(j))
		}
	}
	return names, cols
}

// Column returns a copy of the named column (a feature or the target).
func (d *Dataset) Column(name string) ([]float64, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	names, cols := d.columns()
	for i, n := range names {
		if n == name {
			v := cols[i]
			out := make([]float64, v.Len())
			for k := range out {
				out[k] = v.AtVec(k)
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("datasets: no column %q; the columns are %s", name, quoteList(names))
}

// Slice returns a copy of rows [from, to), like Go's s[from:to] (and pandas'
// df.iloc[from:to]). Use it for splits that keep the file's order, for
// example d.Slice(0, 800) for the Titanic passengers before pred_data.
func (d *Dataset) Slice(from, to int) (*Dataset, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	n := d.Len()
	if from < 0 || to > n || from >= to {
		return nil, fmt.Errorf("datasets: Slice(%d, %d) of a dataset with %d rows; need 0 <= from < to <= %d", from, to, n, n)
	}
	idx := make([]int, to-from)
	for i := range idx {
		idx[i] = from + i
	}
	return d.rows(idx), nil
}

// rows returns a new dataset with the given rows, in that order (a copy).
// The indices must be valid and non-empty.
func (d *Dataset) rows(idx []int) *Dataset {
	out := &Dataset{Features: append([]string(nil), d.Features...), Target: d.Target, Classes: d.Classes}
	out.X = pickRows(d.X, idx)
	out.Y = pickRows(d.Y, idx)
	return out
}

func pickRows(m *mat.Dense, idx []int) *mat.Dense {
	if m == nil {
		return nil
	}
	_, c := m.Dims()
	out := mat.NewDense(len(idx), c, nil)
	for i, r := range idx {
		copy(out.RawRowView(i), m.RawRowView(r))
	}
	return out
}

// YOneHot returns the target one-hot encoded, one column per class, as
// Keras' to_categorical(y) does: d.Classes columns, or max(label)+1 when
// Classes is 0. The course's Titanic model trains on it:
// y, err := Titanic().YOneHot() gives 891x2.
func (d *Dataset) YOneHot() (*mat.Dense, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	if d == nil || d.Y == nil {
		return nil, fmt.Errorf("datasets: YOneHot: the dataset has no target (Y is nil); load it with a Target column")
	}
	r, c := d.Y.Dims()
	if c != 1 {
		return nil, fmt.Errorf("datasets: YOneHot: Y is %dx%d; one-hot encoding needs a single column of class labels", r, c)
	}
	labels := mat.Col(nil, 0, d.Y)
	oh, err := OneHot(labels, d.Classes)
	if err != nil {
		return nil, fmt.Errorf("%w (target %q)", err, d.targetName())
	}
	return oh, nil
}

// Head returns the first n rows as a table, like pandas' df.head(n): an
// index column, then the target, then the features. n <= 0 means 5, pandas'
// default. Wide data (more than 20 columns, like MNIST) shows the first and
// last 10 columns with "..." between, as pandas does.
func (d *Dataset) Head(n int) string {
	if n <= 0 {
		n = 5
	}
	if n > d.Len() {
		n = d.Len()
	}
	return d.table(0, n)
}

// Tail returns the last n rows as a table, like pandas' df.tail(n); n <= 0
// means 5.
func (d *Dataset) Tail(n int) string {
	if n <= 0 {
		n = 5
	}
	if n > d.Len() {
		n = d.Len()
	}
	return d.table(d.Len()-n, d.Len())
}

const (
	maxShownColumns = 20 // pandas' display.max_columns
	edgeColumns     = 10
)

// shownColumns lists the columns a table shows, -1 standing for the "..."
// column of a wide table: all of them up to maxShownColumns, else the first
// and last edgeColumns.
func shownColumns(n int) []int {
	var out []int
	for j := 0; j < n; j++ {
		if n > maxShownColumns && j == edgeColumns {
			out = append(out, -1)
			j = n - edgeColumns
		}
		out = append(out, j)
	}
	return out
}

func dotsColumn(n int) []string {
	dots := make([]string, n)
	for i := range dots {
		dots[i] = "..."
	}
	return dots
}

func (d *Dataset) table(from, to int) string {
	if err := d.check(); err != nil {
		return err.Error()
	}
	names, cols := d.columns()
	if len(names) == 0 {
		return "Empty Dataset\n"
	}
	index := make([]string, to-from)
	for i := range index {
		index[i] = strconv.Itoa(from + i)
	}
	var header []string
	var body [][]string
	for _, j := range shownColumns(len(names)) {
		if j < 0 {
			header, body = append(header, "..."), append(body, dotsColumn(to-from))
			continue
		}
		vals := make([]float64, to-from)
		for i := range vals {
			vals[i] = cols[j].AtVec(from + i)
		}
		header = append(header, names[j])
		body = append(body, formatColumn(vals))
	}
	return renderTable(header, index, body)
}

// formatColumn formats a column of a head table like pandas does: integers
// without decimals, other numbers with the fewest decimals (at most 6) that
// show every value of the column exactly, the same count for all.
func formatColumn(vals []float64) []string {
	dec := 0
	for _, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		for dec < 6 {
			s := strconv.FormatFloat(v, 'f', dec, 64)
			back, _ := strconv.ParseFloat(s, 64)
			if math.Abs(back-v) <= 1e-9*math.Max(1, math.Abs(v)) {
				break
			}
			dec++
		}
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = formatNumber(v, dec)
	}
	return out
}

func formatNumber(v float64, dec int) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	return strconv.FormatFloat(v, 'f', dec, 64)
}

// renderTable right-aligns every column, as pandas prints data frames:
// header row, then one row per index entry; body is column-major.
func renderTable(header, index []string, body [][]string) string {
	iw := 0
	for _, s := range index {
		iw = max(iw, len(s))
	}
	widths := make([]int, len(header))
	for j, h := range header {
		widths[j] = len(h)
		for _, s := range body[j] {
			widths[j] = max(widths[j], len(s))
		}
	}
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", iw))
	for j, h := range header {
		fmt.Fprintf(&b, "  %*s", widths[j], h)
	}
	b.WriteByte('\n')
	for i, s := range index {
		fmt.Fprintf(&b, "%-*s", iw, s)
		for j := range header {
			fmt.Fprintf(&b, "  %*s", widths[j], body[j][i])
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// ColumnSummary holds the statistics pandas' describe() prints for one
// column. Missing values (NaN) are left out of every statistic, as pandas
// does; Count is the number of values that are not NaN.
type ColumnSummary struct {
	Name  string
	Count int
	Mean  float64
	Std   float64 // sample standard deviation (ddof=1, pandas' default); NaN for fewer than 2 values
	Min   float64
	Q25   float64 // quartiles with linear interpolation, pandas' (and numpy's) default
	Q50   float64 // the median
	Q75   float64
	Max   float64
}

// Summary returns describe()'s statistics for every column, the target
// first. Describe prints them as a table.
func (d *Dataset) Summary() ([]ColumnSummary, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	names, cols := d.columns()
	out := make([]ColumnSummary, len(names))
	for j, name := range names {
		out[j] = summarize(name, cols[j])
	}
	return out, nil
}

func summarize(name string, v mat.Vector) ColumnSummary {
	vals := make([]float64, 0, v.Len())
	for i := 0; i < v.Len(); i++ {
		if x := v.AtVec(i); !math.IsNaN(x) {
			vals = append(vals, x)
		}
	}
	s := ColumnSummary{Name: name, Count: len(vals)}
	nan := math.NaN()
	if len(vals) == 0 {
		s.Mean, s.Std, s.Min, s.Q25, s.Q50, s.Q75, s.Max = nan, nan, nan, nan, nan, nan, nan
		return s
	}
	// Two passes: the mean, then squared deviations from it (accurate
	// where the one-pass sum of squares cancels).
	sum := 0.0
	for _, x := range vals {
		sum += x
	}
	s.Mean = sum / float64(len(vals))
	if len(vals) > 1 {
		ss := 0.0
		for _, x := range vals {
			ss += (x - s.Mean) * (x - s.Mean)
		}
		s.Std = math.Sqrt(ss / float64(len(vals)-1))
	} else {
		s.Std = nan
	}
	sort.Float64s(vals)
	s.Min, s.Max = vals[0], vals[len(vals)-1]
	s.Q25, s.Q50, s.Q75 = quantile(vals, 0.25), quantile(vals, 0.5), quantile(vals, 0.75)
	return s
}

// quantile is numpy's default ("linear") quantile of sorted values: the
// value at position q*(n-1), interpolated between its neighbours.
func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	frac := pos - float64(lo)
	return sorted[lo] + frac*(sorted[lo+1]-sorted[lo])
}

// Describe returns describe()'s table: count, mean, std, min, 25%, 50%, 75%
// and max of every column, printed like pandas' df.describe() (six
// decimals). The course starts each dataset with it.
func (d *Dataset) Describe() string {
	if err := d.check(); err != nil {
		return err.Error()
	}
	names, cols := d.columns()
	if len(names) == 0 {
		return "Empty Dataset\n"
	}
	stats := []string{"count", "mean", "std", "min", "25%", "50%", "75%", "max"}
	var header []string
	var body [][]string
	for _, j := range shownColumns(len(names)) { // columns not shown are not computed (MNIST has 785)
		if j < 0 {
			header, body = append(header, "..."), append(body, dotsColumn(len(stats)))
			continue
		}
		s := summarize(names[j], cols[j])
		header = append(header, s.Name)
		vals := []float64{float64(s.Count), s.Mean, s.Std, s.Min, s.Q25, s.Q50, s.Q75, s.Max}
		col := make([]string, len(vals))
		for i, v := range vals {
			col[i] = formatNumber(v, 6)
		}
		body = append(body, col)
	}
	return renderTable(header, stats, body)
}

// quoteList quotes names for an error message; a long list is cut after
// 30 names (MNIST-like files have hundreds of columns).
func quoteList(names []string) string {
	const maxNames = 30
	var q []string
	for i, n := range names {
		if i == maxNames {
			q = append(q, fmt.Sprintf("... (%d columns in all)", len(names)))
			break
		}
		q = append(q, cellText(n))
	}
	return strings.Join(q, ", ")
}

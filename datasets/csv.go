package datasets

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/gonum/mat"
)

// Missing says what LoadCSV does with a missing value (an empty cell, or
// one of pandas' missing markers such as NA, NaN, null, None, N/A).
type Missing int

const (
	// MissingError (the default) makes a missing value an error that names
	// the first missing cell (line and column) and how many there are.
	MissingError Missing = iota
	// MissingNaN keeps missing values as NaN, as pandas' read_csv does.
	// Describe counts them out; a model trained on NaN learns NaN, so fill
	// them before training.
	MissingNaN
	// MissingMean fills a missing predictor with the mean of its column's
	// other values, as the course did for the Titanic ages (add an
	// indicator column yourself if the fact that it was missing matters).
	// A missing target is still an error: drop that row from the file.
	MissingMean
)

// CSVOptions chooses what LoadCSV reads. The zero value reads every column
// as a predictor, with no target.
type CSVOptions struct {
	// Target is the column to predict (Y); "" for data without a target.
	Target string
	// Features lists the predictor columns (X), in the order wanted; nil
	// means every column except Target, in the file's order.
	Features []string
	// Missing says what to do with missing values; the default is an error.
	Missing Missing
	// Comma is the field separator; 0 means ','.
	Comma rune
	// Classes is copied into Dataset.Classes (the number of classes of a
	// class-label target, used by YOneHot); 0 means max(label)+1.
	Classes int
}

// missingMarkers are the cell texts pandas' read_csv reads as missing
// (its default na_values), plus the empty cell.
var missingMarkers = map[string]bool{
	"": true, "#N/A": true, "#N/A N/A": true, "#NA": true, "-1.#IND": true, "-1.#QNAN": true,
	"-NaN": true, "-nan": true, "1.#IND": true, "1.#QNAN": true, "<NA>": true, "N/A": true,
	"NA": true, "NULL": true, "NaN": true, "None": true, "n/a": true, "nan": true, "null": true,
}

// LoadCSV reads a CSV file with a header row into a Dataset: the Target
// column becomes Y and the Features columns X.
//
// Cells are decimal numbers (12, -0.5, 1e-3, .5; spaces around them
// allowed; not Go's 1_000 or 0x1p3, which pandas reads as text) or booleans (True/False in any case, read as 1/0). Columns
// that are not selected may hold anything. Every problem is an error that
// says where it is and how to fix it: a missing file, an empty file, a
// column that does not exist (with the list of those that do), a cell that
// is not a number (line, column and text), a row with too many or too few
// cells, a missing value (see Missing).
//
// Line numbers are the file's, the header being line 1, so an editor takes
// you to the cell.
func LoadCSV(path string, opts CSVOptions) (*Dataset, error) {
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			wd, _ := os.Getwd()
			return nil, fmt.Errorf("datasets: LoadCSV: no file %q (relative paths start in %s); check the name and the directory: %w", path, wd, err)
		}
		return nil, fmt.Errorf("datasets: LoadCSV: %w", err)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("datasets: LoadCSV: %q is a directory; give the path of a .csv file in it", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("datasets: LoadCSV: %w", err)
	}
	defer f.Close()
	d, err := readCSV(f, opts, path)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// ReadCSV is LoadCSV for data that is not in a file (an embedded file, a
// string, an HTTP body). Errors name the source as "CSV".
func ReadCSV(r io.Reader, opts CSVOptions) (*Dataset, error) {
	return readCSV(r, opts, "CSV")
}

func readCSV(r io.Reader, opts CSVOptions, src string) (*Dataset, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("datasets: %s: %s", src, fmt.Sprintf(format, args...))
	}
	if r == nil {
		return nil, fail("the reader is nil; pass an io.Reader such as strings.NewReader(text) or an open file (or use LoadCSV with a path)")
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // ragged rows get our own error, with both counts
	if opts.Comma != 0 {
		if opts.Comma == '"' || opts.Comma == '\r' || opts.Comma == '\n' || opts.Comma == utf8.RuneError || !utf8.ValidRune(opts.Comma) {
			return nil, fail("Comma %q cannot separate fields; use ',' ';' or '\\t'", opts.Comma)
		}
		cr.Comma = opts.Comma
	}
	if opts.Classes < 0 {
		return nil, fail("Classes is %d; use 0 (class labels 0..max, or not a classification) or the number of classes", opts.Classes)
	}
	if opts.Missing < MissingError || opts.Missing > MissingMean {
		return nil, fail("unknown Missing option %d; use datasets.MissingError, MissingNaN or MissingMean", int(opts.Missing))
	}
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fail("the file is empty; a CSV file needs a header row with the column names, then one row per example")
	}
	if err != nil {
		return nil, fail("%s", csvErrorText(err))
	}
	if slices.ContainsFunc(header, func(h string) bool { return strings.Contains(h, "\r") }) {
		return nil, fail("the lines end in a carriage return alone (CR, old Mac OS line endings), so the whole file reads as one line; save it with LF or CRLF line endings (e.g. tr '\\r' '\\n')")
	}
	cols, err := headerNames(header)
	if err != nil {
		return nil, fail("%v", err)
	}
	target, features, err := selectColumns(cols, opts)
	if err != nil {
		return nil, fail("%v", err)
	}
	selected := features
	if target >= 0 {
		selected = append([]int{target}, features...)
	}
	var (
		values       []float64 // row-major, the selected columns in order
		missingCount int
		firstMissing string
		missingAt    [][2]int // (row, position in selected) of each predictor MissingMean fills
	)
	for row := 0; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fail("%s", csvErrorText(err))
		}
		if len(rec) != len(cols) {
			line, _ := cr.FieldPos(0)
			return nil, fail("line %d has %d cells but the header has %d columns (%s); every row needs one cell per column (look for a missing or an extra %q)",
				line, len(rec), len(cols), quoteList(cols), string(cr.Comma))
		}
		for k, c := range selected {
			v, ok, err := parseCell(strings.TrimSpace(rec[c]))
			if err != nil {
				line, _ := cr.FieldPos(c)
				return nil, fail("line %d, column %q: %v; fix the cell, or leave the column out of Features if it does not hold numbers", line, cols[c], err)
			}
			if !ok {
				v = math.NaN()
				switch {
				case opts.Missing == MissingNaN:
				case opts.Missing == MissingMean && c != target:
					missingAt = append(missingAt, [2]int{row, k})
				default:
					if missingCount == 0 {
						line, _ := cr.FieldPos(c)
						firstMissing = fmt.Sprintf("line %d, column %q (row %d of the data)", line, cols[c], row)
					}
					missingCount++
				}
			}
			values = append(values, v)
		}
	}
	nrows := len(values) / len(selected)
	if nrows == 0 {
		return nil, fail("no data rows after the header; add one row per example")
	}
	if missingCount > 0 {
		if opts.Missing == MissingMean {
			return nil, fail("%d missing target value(s), the first at %s; a row without a target cannot be learnt from: delete those rows", missingCount, firstMissing)
		}
		return nil, fail("%d missing value(s), the first at %s; fill them in, or load with Missing: datasets.MissingMean (fill with the column mean) or datasets.MissingNaN (keep them as NaN)", missingCount, firstMissing)
	}
	if len(missingAt) > 0 {
		if err := fillMeans(values, len(selected), missingAt, cols, selected); err != nil {
			return nil, fail("%v", err)
		}
	}
	d := &Dataset{Classes: opts.Classes}
	off := 0
	if target >= 0 {
		d.Target = cols[target]
		y := make([]float64, nrows)
		for i := range y {
			y[i] = values[i*len(selected)]
		}
		d.Y = mat.NewDense(nrows, 1, y)
		off = 1
	}
	if len(features) > 0 {
		x := make([]float64, nrows*len(features))
		for i := 0; i < nrows; i++ {
			copy(x[i*len(features):(i+1)*len(features)], values[i*len(selected)+off:(i+1)*len(selected)])
		}
		d.X = mat.NewDense(nrows, len(features), x)
		d.Features = make([]string, len(features))
		for i, c := range features {
			d.Features[i] = cols[c]
		}
	}
	return d, nil
}

// parseCell reads one trimmed cell: ok is false for a missing value.
func parseCell(text string) (v float64, ok bool, err error) {
	if missingMarkers[text] {
		return 0, false, nil
	}
	if strings.EqualFold(text, "true") {
		return 1, true, nil
	}
	if strings.EqualFold(text, "false") {
		return 0, true, nil
	}
	// Go's ParseFloat also reads Go literals ("1_000", "0x1p3") that
	// pandas and spreadsheets read as text: refuse them rather than guess.
	if strings.Contains(text, "_") {
		return 0, false, fmt.Errorf("%s is not a plain number: write it without the _ digit separators", cellText(text))
	}
	if t := strings.TrimLeft(text, "+-"); len(t) > 1 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') {
		return 0, false, fmt.Errorf("%s is a hexadecimal number; write it in decimal", cellText(text))
	}
	v, perr := strconv.ParseFloat(text, 64)
	if perr != nil {
		var ne *strconv.NumError
		if errors.As(perr, &ne) && ne.Err == strconv.ErrRange {
			return 0, false, fmt.Errorf("%s is too large for a float64", cellText(text))
		}
		return 0, false, fmt.Errorf("%s is not a number (nor True/False)", cellText(text))
	}
	if math.IsNaN(v) {
		return 0, false, nil // "NAN" and other spellings ParseFloat accepts
	}
	if math.IsInf(v, 0) {
		return 0, false, fmt.Errorf("%s is infinite; a network cannot learn from it", cellText(text))
	}
	return v, true, nil
}

// maxCellQuote is how much of a bad cell an error quotes: enough to find
// it, not the whole of a cell that swallowed half the file.
const maxCellQuote = 40

// cellText quotes a cell for an error message, cut to maxCellQuote bytes
// (at a rune boundary) with its full length when it is longer.
func cellText(text string) string {
	if len(text) <= maxCellQuote {
		return strconv.Quote(text)
	}
	cut := maxCellQuote
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (a cell of %d bytes)", strconv.Quote(text[:cut]), len(text))
}

// fillMeans replaces the missing predictors listed in at with their
// column's mean (one pass over the values, one over the missing cells).
func fillMeans(values []float64, width int, at [][2]int, cols []string, selected []int) error {
	sums := make([]float64, width)
	counts := make([]int, width)
	for i, v := range values {
		if !math.IsNaN(v) {
			sums[i%width] += v
			counts[i%width]++
		}
	}
	for _, a := range at {
		row, k := a[0], a[1]
		if counts[k] == 0 {
			return fmt.Errorf("column %q has no values at all, so it has no mean to fill with; leave it out of Features", cols[selected[k]])
		}
		values[row*width+k] = sums[k] / float64(counts[k])
	}
	return nil
}

// headerNames cleans the header: trims spaces and a UTF-8 byte order mark
// (Excel writes one), names empty cells "Unnamed: i" as pandas does (a file
// written by pandas' to_csv starts with an unnamed index column), and
// refuses duplicate names, which would make a choice by name ambiguous.
func headerNames(header []string) ([]string, error) {
	cols := make([]string, len(header))
	seen := map[string]int{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\uFEFF")
		}
		h = strings.TrimSpace(h)
		if h == "" {
			h = "Unnamed: " + strconv.Itoa(i)
		}
		if j, dup := seen[h]; dup {
			return nil, fmt.Errorf("the header names two columns %s (columns %d and %d, counting from 1); rename one of them", cellText(h), j+1, i+1)
		}
		seen[h] = i
		cols[i] = h
	}
	return cols, nil
}

// selectColumns resolves the target and feature names to column indices.
func selectColumns(cols []string, opts CSVOptions) (target int, features []int, err error) {
	index := map[string]int{}
	for i, c := range cols {
		index[c] = i
	}
	notFound := func(what, name string) error {
		hint := ""
		if len(cols) == 1 && strings.ContainsAny(cols[0], ";\t") {
			hint = "; the header is a single column: if the file separates fields with ';' or tabs, set Comma"
		}
		return fmt.Errorf("%s column %q not found; the columns are %s%s", what, name, quoteList(cols), hint)
	}
	target = -1
	if opts.Target != "" {
		t, ok := index[opts.Target]
		if !ok {
			return 0, nil, notFound("target", opts.Target)
		}
		target = t
	}
	if opts.Features == nil {
		for i := range cols {
			if i != target {
				features = append(features, i)
			}
		}
		if len(features) == 0 {
			return 0, nil, fmt.Errorf("the only column is the target %q; a model needs at least one predictor column", opts.Target)
		}
		return target, features, nil
	}
	if len(opts.Features) == 0 {
		return 0, nil, fmt.Errorf("Features is an empty list; name at least one predictor column (or leave Features nil for all columns but the target)")
	}
	used := map[string]bool{}
	for _, name := range opts.Features {
		i, ok := index[name]
		if !ok {
			return 0, nil, notFound("feature", name)
		}
		if i == target {
			return 0, nil, fmt.Errorf("column %q is both the target and a feature; a model must not see its answer: remove it from Features", name)
		}
		if used[name] {
			return 0, nil, fmt.Errorf("feature %q is listed twice in Features; list each column once", name)
		}
		used[name] = true
		features = append(features, i)
	}
	return target, features, nil
}

// csvErrorText rewords encoding/csv's parse errors (which count lines from
// 1, as we do) with a hint at the usual cause.
func csvErrorText(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		hint := ""
		switch {
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			hint = `; a cell with a " must be quoted as a whole and the " doubled, e.g. "say ""hi"""`
		}
		where := fmt.Sprintf("line %d", pe.Line)
		if pe.StartLine != pe.Line {
			where = fmt.Sprintf("the row from line %d to %d", pe.StartLine, pe.Line)
		}
		return fmt.Sprintf("%s: malformed CSV: %v%s", where, pe.Err, hint)
	}
	return "reading: " + err.Error()
}

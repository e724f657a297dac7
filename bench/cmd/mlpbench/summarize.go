package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// result is one RESULT line.
type result struct {
	impl, task      string
	isa             string // the instruction set it reported, "" if none
	batch           int
	train, trainCPU float64
	predict         float64
	accuracy        float64
}

func parseResults(r io.Reader) ([]result, error) {
	var out []result
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 || f[0] != "RESULT" {
			continue
		}
		kv := map[string]string{}
		for _, p := range f[1:] {
			k, v, ok := strings.Cut(p, "=")
			if !ok {
				return nil, fmt.Errorf("line %d: %q is not key=value", line, p)
			}
			kv[k] = v
		}
		var res result
		var err error
		num := func(k string) float64 {
			if err != nil {
				return 0
			}
			var x float64
			x, err = strconv.ParseFloat(kv[k], 64)
			if err != nil {
				err = fmt.Errorf("line %d: %s=%q: %v", line, k, kv[k], err)
			}
			return x
		}
		res.impl, res.task, res.isa = kv["impl"], kv["task"], kv["isa"]
		res.batch = int(num("batch"))
		res.train, res.predict, res.accuracy = num("train_s"), num("predict_s"), num("accuracy")
		if kv["train_cpu_s"] != "" {
			res.trainCPU = num("train_cpu_s")
		}
		if err != nil {
			return nil, err
		}
		if res.impl == "" || res.task == "" {
			return nil, fmt.Errorf("line %d: impl and task are required", line)
		}
		out = append(out, res)
	}
	return out, sc.Err()
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// isPeer tells the other libraries from our Go builds.
func isPeer(impl string) bool { return !strings.HasPrefix(impl, "go-") && impl != "nn" }

// summarize prints, per task and batch size, the median training and
// prediction times of each implementation and their ratio to the best peer.
func summarize(path string, w io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := parseResults(f)
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	if len(res) == 0 {
		return fmt.Errorf("%s: no RESULT lines", path)
	}
	type key struct {
		task  string
		batch int
	}
	groups := map[key]map[string][]result{}
	var keys []key
	for _, r := range res {
		k := key{r.task, r.batch}
		if groups[k] == nil {
			groups[k] = map[string][]result{}
			keys = append(keys, k)
		}
		groups[k][r.impl] = append(groups[k][r.impl], r)
	}
	for _, k := range keys {
		g := groups[k]
		type row struct {
			impl, isa                string
			n                        int
			train, cpu, predict, acc float64
		}
		var rows []row
		bestTrain, bestPredict := 0.0, 0.0
		for impl, rs := range g {
			var tr, cp, pr, ac []float64
			for _, r := range rs {
				tr, cp, pr, ac = append(tr, r.train), append(cp, r.trainCPU), append(pr, r.predict), append(ac, r.accuracy)
			}
			r := row{impl, rs[len(rs)-1].isa, len(rs), median(tr), median(cp), median(pr), median(ac)}
			rows = append(rows, r)
			if isPeer(impl) {
				if bestTrain == 0 || r.train < bestTrain {
					bestTrain = r.train
				}
				if bestPredict == 0 || r.predict < bestPredict {
					bestPredict = r.predict
				}
			}
		}
		slices.SortFunc(rows, func(a, b row) int {
			if a.train < b.train {
				return -1
			}
			if a.train > b.train {
				return 1
			}
			return strings.Compare(a.impl, b.impl)
		})
		fmt.Fprintf(w, "\n%s, batch %d: medians of n runs; ratio = time / the best peer's (every Python implementation)\n", k.task, k.batch)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "implementation\tn\ttrain s\tratio\ttrain CPU s\tpredict ms\tratio\taccuracy\tisa\t\n")
		for _, r := range rows {
			ratio := func(x, best float64) string {
				if best == 0 {
					return "-"
				}
				return fmt.Sprintf("%.2f", x/best)
			}
			isa := r.isa
			if isa == "" {
				isa = "-"
			}
			fmt.Fprintf(tw, "%s\t%d\t%.4f\t%s\t%.4f\t%.1f\t%s\t%.4f\t%s\t\n", r.impl, r.n, r.train, ratio(r.train, bestTrain), r.cpu, 1000*r.predict, ratio(r.predict, bestPredict), r.acc, isa)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

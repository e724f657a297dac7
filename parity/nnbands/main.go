// Command nnbands prints the bands nn gives for lessons 6 and 8 over several
// seeds, the same experiments as parity/bands.py runs in Keras (make
// parity-bands runs both): lesson 6's SGD at three learning rates on the
// 100-100-2 model, 10 epochs shuffled; lesson 8's shallow-against-deep and
// narrow-against-wide comparisons with Adam, EarlyStopping(patience=2) and 15
// epochs at most.
//
//	go run ./parity/nnbands [-runs 5]
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"sort"

	"github.com/dlnb/dlnb/datasets"
	"github.com/dlnb/dlnb/nn"
)

func main() {
	runs := flag.Int("runs", 5, "runs (seeds 0..runs-1) per experiment")
	flag.Parse()
	if *runs < 1 {
		fmt.Fprintln(os.Stderr, "nnbands: -runs must be at least 1")
		os.Exit(2)
	}
	d := datasets.Titanic()
	y, err := d.YOneHot()
	if err != nil {
		fail(err)
	}
	fmt.Printf("nn, %d runs each, seeds 0..%d (Sequential.Seed), shuffled\n", *runs, *runs-1)
	for _, lr := range []float64{1e-6, 0.01, 1} {
		var first, last []float64
		stopped := 0
		for run := 0; run < *runs; run++ {
			m := model(uint64(run), 100, 100)
			if err := m.Compile(nn.SGD{LearningRate: lr}, nn.CategoricalCrossentropy); err != nil {
				fail(err)
			}
			h, err := m.Fit(d.X, y, nn.FitOptions{Epochs: 10})
			if err != nil {
				stopped++
			}
			if l := h.History["loss"]; len(l) > 0 {
				first = append(first, l[0])
			}
			if l := h.History["loss"]; len(l) == 10 {
				last = append(last, l[9])
			}
		}
		fmt.Printf("  lesson 6 lr %g: epoch 1 loss: %s\n", lr, band(first))
		fmt.Printf("  lesson 6 lr %g: epoch 10 loss: %s", lr, band(last))
		if stopped > 0 {
			fmt.Printf(" (%d runs stopped: the loss overflowed)", stopped)
		}
		fmt.Println()
	}
	for _, p := range []struct {
		name  string
		a, b  []int
		split float64
	}{
		{"deeper: 50-2 vs 50-50-50-2, validation_split 0.4", []int{50}, []int{50, 50, 50}, 0.4},
		{"wider: 10-10-2 vs 100-100-2, validation_split 0.2", []int{10, 10}, []int{100, 100}, 0.2},
	} {
		best := map[string][]float64{}
		epochs := map[string][]float64{}
		wins := 0
		for run := 0; run < *runs; run++ {
			res := map[string]float64{}
			for _, hidden := range [][]int{p.a, p.b} {
				m := model(uint64(run), hidden...)
				if err := m.Compile(nn.Adam{}, nn.CategoricalCrossentropy, nn.Accuracy); err != nil {
					fail(err)
				}
				h, err := m.Fit(d.X, y, nn.FitOptions{Epochs: 15, ValidationSplit: p.split,
					Callbacks: []nn.Callback{&nn.EarlyStopping{Patience: 2}}})
				if err != nil {
					fail(err)
				}
				v := h.History["val_loss"]
				b := v[0]
				for _, x := range v {
					b = math.Min(b, x)
				}
				k := fmt.Sprint(hidden)
				res[k] = b
				best[k] = append(best[k], b)
				epochs[k] = append(epochs[k], float64(len(v)))
			}
			if res[fmt.Sprint(p.b)] < res[fmt.Sprint(p.a)] {
				wins++
			}
		}
		for _, hidden := range [][]int{p.a, p.b} {
			k := fmt.Sprint(hidden)
			fmt.Printf("  lesson 8 %s: best val_loss %s: %s\n", p.name, k, band(best[k]))
			fmt.Printf("  lesson 8 %s: epochs %s: %s\n", p.name, k, band(epochs[k]))
		}
		fmt.Printf("  lesson 8 %s: runs where %v has the lower best val_loss: %d of %d\n", p.name, p.b, wins, *runs)
	}
}

// model is the course's model: hidden relu layers and a softmax output.
func model(seed uint64, hidden ...int) *nn.Sequential {
	m := nn.NewSequential()
	for i, u := range hidden {
		l := nn.Dense{Units: u, Activation: nn.ReLU}
		if i == 0 {
			l.InputDim = 10
		}
		m.Add(l)
	}
	m.Add(nn.Dense{Units: 2, Activation: nn.Softmax})
	m.Seed = seed
	return m
}

func band(v []float64) string {
	if len(v) == 0 {
		return "no complete run"
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return fmt.Sprintf("%.4g .. %.4g (median %.4g)", s[0], s[len(s)-1], s[len(s)/2])
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "nnbands:", err)
	os.Exit(1)
}

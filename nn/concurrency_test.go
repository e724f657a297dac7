package nn

import (
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
)

// Predict, Evaluate, Summary, CountParams and Save on one trained model from
// many goroutines at once give what they give one at a time (run with -race:
// scripts/test-go.sh does).
func TestConcurrentInference(t *testing.T) {
	for _, dt := range []DType{Float32, Float64} {
		m, x, y := trainedModel(t, dt, Adam{})
		wantP, _ := m.Predict(x)
		wantE, _ := m.Evaluate(x, y)
		wantS, wantC := m.Summary(), m.CountParams()
		wantF, _ := m.ForwardPass(x[:3])
		wantB, _ := m.MarshalBinary()
		dir := t.TempDir()
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 5 {
					p, err := m.Predict(x[g:])
					if err != nil || !slices.Equal(p.RawMatrix().Data, wantP.RawMatrix().Data[g*2:]) {
						errs <- fmt.Errorf("goroutine %d: Predict differs (%v)", g, err)
						return
					}
					e, err := m.Evaluate(x, y)
					if err != nil || e["loss"] != wantE["loss"] || e["accuracy"] != wantE["accuracy"] {
						errs <- fmt.Errorf("goroutine %d: Evaluate %v, want %v (%v)", g, e, wantE, err)
						return
					}
					if m.Summary() != wantS || m.CountParams() != wantC {
						errs <- fmt.Errorf("goroutine %d: Summary or CountParams differ", g)
						return
					}
					f, _ := m.ForwardPass(x[:3])
					if !slices.Equal(f[1].Net.RawMatrix().Data, wantF[1].Net.RawMatrix().Data) {
						errs <- fmt.Errorf("goroutine %d: ForwardPass differs", g)
						return
					}
					if err := m.Save(filepath.Join(dir, fmt.Sprint(g, ".json"))); err != nil {
						errs <- err
						return
					}
					if b, _ := m.MarshalBinary(); string(b) != string(wantB) {
						errs <- fmt.Errorf("goroutine %d: MarshalBinary differs", g)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("%v: %v", dt, err)
		}
	}
}

// Predicting from other goroutines while Fit trains is safe: each Predict
// sees the weights between two batches (one of the models Fit passes
// through), never half updated. A second Fit at the same time is refused.
func TestPredictDuringFit(t *testing.T) {
	m, x, y := trainedModel(t, Float32, SGD{Momentum: 0.9})
	ref, _, _ := trainedModel(t, Float32, SGD{Momentum: 0.9})
	// The predictions of every state the weights pass through, batch by batch.
	states := map[float64]bool{}
	p, _ := ref.Predict(x[:1])
	states[p.At(0, 0)] = true
	for range 3 {
		for b := 0; b < len(x); b += 16 {
			if _, err := ref.Fit(x[b:min(b+16, len(x))], y[b:min(b+16, len(x))], FitOptions{NoShuffle: true, BatchSize: 16}); err != nil {
				t.Fatal(err)
			}
			p, _ := ref.Predict(x[:1])
			states[p.At(0, 0)] = true
		}
	}

	started, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	block := &callbackFunc{epochEnd: func() {
		once.Do(func() { close(started); <-release })
	}}
	done := make(chan error)
	go func() {
		_, err := m.Fit(x, y, FitOptions{Epochs: 3, BatchSize: 16, NoShuffle: true, Callbacks: []Callback{block}})
		done <- err
	}()
	<-started
	_, err := m.Fit(x, y, FitOptions{})
	wantErr(t, "a second Fit", err, "already training", "another goroutine")
	close(release)
	var wg sync.WaitGroup
	seen := make(chan float64, 1000)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				p, err := m.Predict(x[:1])
				if err != nil {
					t.Error(err)
					return
				}
				seen <- p.At(0, 0)
				if _, err := m.Evaluate(x, y); err != nil {
					t.Error(err)
				}
				m.Summary()
			}
		}()
	}
	wg.Wait()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	close(seen)
	for v := range seen {
		if !states[v] {
			t.Errorf("a Predict during Fit saw %v, not the output of any state between batches", v)
			break
		}
	}
}

type callbackFunc struct {
	BaseCallback
	epochEnd func()
}

func (c *callbackFunc) OnEpochEnd(*Sequential, int, map[string]float64) error {
	c.epochEnd()
	return nil
}

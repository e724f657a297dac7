package nn

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// LayerOutput is one layer's part of a forward pass: each row's net input
// (inputs · weights + bias) and activation output. A Dropout layer's Net is
// nil and its Out its input.
type LayerOutput struct {
	Name       string
	Activation Activation
	Net, Out   *mat.Dense
}

// ForwardPass runs x through the model and returns every layer's net input
// and output, to compare with a computation by hand. A Dropout layer passes
// its input through, as in Predict: its Out is its input and its Net nil.
func (m *Sequential) ForwardPass(x any) ([]LayerOutput, error) {
	xm, err := toMatrix("x", x)
	if err != nil {
		return nil, fmt.Errorf("nn.ForwardPass: %w", err)
	}
	if err := m.checkX(xm); err != nil {
		return nil, fmt.Errorf("nn.ForwardPass: %w", err)
	}
	return m.eng.forwardPass(xm), nil
}

// float64Net copies the model into a float64 network, compiled like the
// model, for the teaching tools: they show exact numbers whatever the
// model's precision. unfreeze makes every weight trainable.
func (m *Sequential) float64Net(unfreeze bool) (*net[float64], error) {
	if m.compiled == nil {
		return nil, fmt.Errorf("%w: call Compile first (the loss decides the gradients)", ErrNotCompiled)
	}
	if m.eng == nil {
		return nil, errors.New("the model has no weights yet: give the first layer InputDim, or call Build or Fit first")
	}
	specs := make([]Dense, len(m.specs))
	w := m.eng.getWeights()
	for i, s := range m.specs {
		info := m.eng.layerInfo(i)
		s.InputDim, s.Kernel, s.Bias = info.InputDim, rows(info.Kernel), w[2*i+1]
		if unfreeze {
			s.Frozen, s.FreezeBias = false, false
		}
		specs[i] = s
	}
	n, err := buildNet[float64](m.norm, specs, m.drops, specs[0].InputDim, m.Seed)
	if err != nil {
		return nil, err
	}
	n.keepNet = true
	n.compile(m.compiled.loss, m.compiled.opt)
	return n, nil
}

// Trace is one step of gradient descent on one example, every number of it:
// the forward values, the partial derivatives the chain rule multiplies, and
// every weight before and after. Print it to read it as tables.
type Trace struct {
	Loss         Loss
	LearningRate float64
	Input        []float64
	Target       []float64
	Layers       []TraceLayer
	OutputLoss   []float64 // each output's share of the loss (Mazur's E_o1, E_o2, ...)
	LossBefore   float64   // the loss before the step (Mazur's E_total)
	LossAfter    float64   // the loss after the step, on the same example
	Weights      []TraceWeight
}

// TraceLayer holds one layer's values in a Trace, one per unit.
type TraceLayer struct {
	Name       string
	Activation Activation
	Units      []string  // the units' names: h1, h2, ... for a hidden layer, o1, o2, ... for the output
	Net, Out   []float64 // forward pass
	DEdOut     []float64 // dE/dout: how the loss changes with the unit's output
	DOutDNet   []float64 // dout/dnet: the activation's slope (for softmax, the diagonal of its Jacobian)
	DEdNet     []float64 // dE/dnet, the unit's "delta"
}

// TraceWeight is one weight or bias in a Trace. Its gradient is
// DEdNet(to) * DNetDW, and for a weight DEdNet = DEdOut * DOutDNet when the
// activation is elementwise.
type TraceWeight struct {
	Name     string // w1, w2, ... numbered as in Mazur's example; biases are b_h1, b_o1, ...
	Layer    int
	From, To string // unit names; From is "bias" for a bias
	Old      float64
	DEdOut   float64 // of the unit the weight feeds
	DOutDNet float64 // of that unit
	DNetDW   float64 // the input the weight multiplies (1 for a bias)
	Grad     float64 // dE/dw
	New      float64 // Old - LearningRate*Grad, or Old if it is frozen
	Frozen   bool
}

// Weight returns the weight or bias with the given name ("w5", "b_o1").
func (t *Trace) Weight(name string) (TraceWeight, bool) {
	for _, w := range t.Weights {
		if w.Name == name {
			return w, true
		}
	}
	return TraceWeight{}, false
}

// TraceStep performs one step of plain gradient descent on a single example
// (one row of x and y), updates the model's weights, and returns the Trace of
// everything it computed. The model must be compiled with nn.SGD without
// momentum. The numbers are computed in float64 whatever the model's DType.
func (m *Sequential) TraceStep(x, y any) (*Trace, error) {
	t, err := m.traceStep(x, y)
	if err != nil {
		return nil, fmt.Errorf("nn.TraceStep: %w", err)
	}
	return t, nil
}

func (m *Sequential) traceStep(x, y any) (*Trace, error) {
	if m.compiled == nil {
		return nil, fmt.Errorf("%w: call Compile(nn.SGD{LearningRate: ...}, loss) first", ErrNotCompiled)
	}
	if c := m.compiled.opt; c.Name != "sgd" || c.Momentum != 0 {
		return nil, fmt.Errorf("it traces plain gradient descent, but the model is compiled with %s: compile with nn.SGD{LearningRate: ...} and no momentum", c.Name)
	}
	if m.hasDropout() {
		return nil, errors.New("it traces a network without Dropout layers (their masks are random): trace a copy of the model without them")
	}
	xm, ym, err := m.checkXY(x, y, true)
	if err != nil {
		return nil, err
	}
	if xm.rows != 1 {
		return nil, fmt.Errorf("it traces one example, but x has %d rows: pass a single row", xm.rows)
	}
	// Every gradient is computed, even of frozen weights; the step then
	// leaves the frozen ones alone.
	n, err := m.float64Net(true)
	if err != nil {
		return nil, err
	}
	xm = normalizedCopy(n, xm) // the trace starts after a Normalization layer
	for i, s := range m.specs {
		n.train[2*i], n.train[2*i+1] = !s.Frozen, !s.Frozen && !s.FreezeBias && !s.NoBias
	}
	lr := m.compiled.opt.LearningRate
	t := &Trace{Loss: m.compiled.loss, LearningRate: lr, Input: xm.data, Target: ym.data}

	out := n.forward(xm)
	last := n.output()
	t.LossBefore = n.loss.forward(ym, out, last.net)
	t.OutputLoss = outputLosses(t.Loss, ym.data, out.data, last.net.data)
	n.backward(ym)

	// dE/dout of the output layer, from the loss alone (the fused losses
	// never form it), then each layer's values from the output down.
	dout := newMatrix[float64](1, last.units)
	lossFor[float64](t.Loss, Linear).backward(ym, out, last.out, dout)
	t.Layers = make([]TraceLayer, len(n.ls))
	for i := len(n.ls) - 1; i >= 0; i-- {
		l := n.ls[i]
		tl := TraceLayer{Name: l.cfg.Name, Units: unitNames(i, len(n.ls), l.units),
			Net: clone(l.net.data), Out: clone(l.out.data), DEdOut: clone(dout.data)}
		tl.Activation, _ = l.cfg.Activation.canonical()
		tl.DOutDNet = slopes(l)
		tl.DEdNet = make([]float64, l.units)
		for j := range tl.DEdNet {
			tl.DEdNet[j] = l.db[j] // dE/db_j = dE/dnet_j for one example
		}
		t.Layers[i] = tl
		if i > 0 { // dE/dout of the layer below: sum over this layer's units of delta * weight
			dout = newMatrix[float64](1, l.in)
			mul(n.gemm, matrix[float64]{1, l.units, tl.DEdNet}, false, l.w, true, dout, false)
		}
	}

	// Every weight, numbered as Mazur does: by the unit it feeds, then by its input.
	k := 0
	for i, l := range n.ls {
		in := unitNames(i-1, len(n.ls), l.in)
		if i == 0 {
			in = unitNames(-1, 0, l.in)
		}
		tl := t.Layers[i]
		for j := range l.units {
			for a := range l.in {
				k++
				w := TraceWeight{Name: fmt.Sprintf("w%d", k), Layer: i, From: in[a], To: tl.Units[j],
					Old: l.w.at(a, j), DEdOut: tl.DEdOut[j], DOutDNet: tl.DOutDNet[j],
					DNetDW: l.x.data[a], Grad: l.dw.at(a, j), Frozen: !n.train[2*i]}
				t.Weights = append(t.Weights, w)
			}
		}
		for j := range l.units {
			t.Weights = append(t.Weights, TraceWeight{Name: "b_" + tl.Units[j], Layer: i, From: "bias", To: tl.Units[j],
				Old: l.b[j], DEdOut: tl.DEdOut[j], DOutDNet: tl.DOutDNet[j], DNetDW: 1, Grad: l.db[j],
				Frozen: !n.train[2*i+1]})
		}
	}
	for i := range t.Weights {
		w := &t.Weights[i]
		w.New = w.Old
		if !w.Frozen {
			w.New = w.Old - lr*w.Grad
		}
	}

	// Apply the step (the standard algorithm: every delta above used the old
	// weights), to the copy and to the model, and measure the loss again.
	n.opt.step(n)
	m.eng.setWeights(n.getWeights())
	out = n.forward(xm)
	t.LossAfter = n.loss.forward(ym, out, n.output().net)
	return t, nil
}

// slopes returns dout/dnet of each unit for the last (single-row) forward pass.
func slopes(l *dense[float64]) []float64 {
	s := make([]float64, l.units)
	for j := range s {
		if l.cfg.Activation == Softmax {
			y := l.out.data[j]
			s[j] = y * (1 - y)
			continue
		}
		s[j] = l.cfg.Activation.Derivative(l.net.data[j])
	}
	return s
}

// outputLosses splits the loss of one example among the outputs.
func outputLosses(loss Loss, y, out, net []float64) []float64 {
	e := make([]float64, len(out))
	k := float64(len(out))
	for j, o := range out {
		switch loss {
		case MeanSquaredError:
			e[j] = (y[j] - o) * (y[j] - o) / k
		case CategoricalCrossentropy:
			e[j] = -y[j] * math.Log(clip(o))
		case BinaryCrossentropy:
			p := clip(o)
			e[j] = -(y[j]*math.Log(p) + (1-y[j])*math.Log(1-p)) / k
		case SparseCategoricalCrossentropy:
			if int(y[0]) == j {
				e[j] = -math.Log(clip(o))
			}
		}
	}
	return e
}

// unitNames names the units of layer i of n: i1, i2, ... for the inputs
// (i = -1), o1, o2, ... for the output layer, h1, h2, ... for a single
// hidden layer and h1_1, h1_2, ..., h2_1, ... when there are several.
func unitNames(i, layers, units int) []string {
	prefix := "o"
	switch {
	case i < 0:
		prefix = "i"
	case i < layers-1 && layers == 2:
		prefix = "h"
	case i < layers-1:
		prefix = fmt.Sprintf("h%d_", i+1)
	}
	names := make([]string, units)
	for j := range names {
		names[j] = fmt.Sprintf("%s%d", prefix, j+1)
	}
	return names
}

func clone(s []float64) []float64 { return append([]float64(nil), s...) }

// String prints the trace as three tables: the forward pass, the backward
// pass, and the weight updates.
func (t *Trace) String() string {
	var b strings.Builder
	f := func(v float64) string { return fmt.Sprintf("%.9f", v) }
	fmt.Fprintf(&b, "Forward pass (input %v, target %v)\n", t.Input, t.Target)
	fmt.Fprintf(&b, "  %-6s %-10s %14s %14s\n", "unit", "activation", "net", "out")
	for _, l := range t.Layers {
		for j, u := range l.Units {
			fmt.Fprintf(&b, "  %-6s %-10s %14s %14s\n", u, l.Activation, f(l.Net[j]), f(l.Out[j]))
		}
	}
	fmt.Fprintf(&b, "Loss (%s): %s =", t.Loss, f(t.LossBefore))
	for j, e := range t.OutputLoss {
		if j > 0 {
			b.WriteString(" +")
		}
		fmt.Fprintf(&b, " %s", f(e))
	}
	b.WriteString("\n\nBackward pass (delta = dE/dnet = dE/dout * dout/dnet)\n")
	fmt.Fprintf(&b, "  %-6s %14s %14s %14s\n", "unit", "dE/dout", "dout/dnet", "delta")
	for i := len(t.Layers) - 1; i >= 0; i-- {
		l := t.Layers[i]
		for j, u := range l.Units {
			fmt.Fprintf(&b, "  %-6s %14s %14s %14s\n", u, f(l.DEdOut[j]), f(l.DOutDNet[j]), f(l.DEdNet[j]))
		}
	}
	fmt.Fprintf(&b, "\nWeight updates (dE/dw = dE/dout * dout/dnet * dnet/dw; new = old - %v * dE/dw)\n", t.LearningRate)
	// Columns of 12 (a 9-decimal number below 100 with its sign) so that a row, 95 characters,
	// fits the width of a notebook's output in JupyterLab without wrapping.
	fmt.Fprintf(&b, "  %-6s %-8s %12s %12s %12s %12s %12s %12s\n", "weight", "from->to", "dE/dout", "dout/dnet", "dnet/dw", "dE/dw", "old", "new")
	for _, w := range t.Weights {
		frozen := ""
		if w.Frozen {
			frozen = " (frozen)"
		}
		fmt.Fprintf(&b, "  %-6s %-8s %12s %12s %12s %12s %12s %12s%s\n", w.Name, w.From+"->"+w.To,
			f(w.DEdOut), f(w.DOutDNet), f(w.DNetDW), f(w.Grad), f(w.Old), f(w.New), frozen)
	}
	fmt.Fprintf(&b, "\nLoss after the step: %s\n", f(t.LossAfter))
	return b.String()
}

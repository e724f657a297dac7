package nn

import (
	"fmt"
	"strings"
)

// CountParams returns the number of weights and biases, or 0 for a model
// that is not built yet.
func (m *Sequential) CountParams() int {
	total, _ := m.countParams()
	return total
}

func (m *Sequential) countParams() (total, trainable int) {
	if m.build(0) != nil {
		return 0, 0
	}
	if m.norm != nil { // mean, variance and Keras' count, not trained
		total += 2*len(m.norm.Mean) + 1
	}
	for i, s := range m.specs {
		units, params := m.eng.layerParams(i)
		total += params
		switch {
		case s.Frozen:
		case s.FreezeBias && !s.NoBias:
			trainable += params - units
		default:
			trainable += params
		}
	}
	return total, trainable
}

// Summary returns the Keras table of the model's layers: name and type,
// output shape, parameter count, and the totals.
func (m *Sequential) Summary() string {
	name := m.Name
	if name == "" {
		name = "sequential"
	}
	built := m.build(0) == nil
	var b strings.Builder
	line := func(c byte) { b.WriteString(strings.Repeat(string(c), 65) + "\n") }
	row := func(cols ...string) {
		b.WriteString(strings.TrimRight(fmt.Sprintf(" %-27s %-25s %s", cols[0], cols[1], cols[2]), " ") + "\n")
	}
	fmt.Fprintf(&b, "Model: %q\n", name)
	line('_')
	row("Layer (type)", "Output Shape", "Param #")
	line('=')
	if m.norm != nil {
		row(m.norm.Name+" (Normalization)", fmt.Sprintf("(None, %d)", len(m.norm.Mean)), fmt.Sprint(2*len(m.norm.Mean)+1))
		b.WriteString("\n")
	}
	for i, s := range m.specs {
		params := "0 (unbuilt)"
		if built {
			_, p := m.eng.layerParams(i)
			params = fmt.Sprint(p)
		}
		row(s.Name+" (Dense)", fmt.Sprintf("(None, %d)", s.Units), params)
		if d := m.drops[i]; d != nil {
			b.WriteString("\n")
			row(d.Name+" (Dropout)", fmt.Sprintf("(None, %d)", s.Units), "0")
		}
		if i < len(m.specs)-1 {
			b.WriteString("\n")
		}
	}
	line('=')
	total, trainable := m.countParams()
	fmt.Fprintf(&b, "Total params: %s\nTrainable params: %s\nNon-trainable params: %s\n", thousands(total), thousands(trainable), thousands(total-trainable))
	line('_')
	return b.String()
}

// thousands writes n with commas between groups of three digits, as Keras'
// summary does: 2,165.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

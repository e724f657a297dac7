package nn

// The running state of the compiled metrics. Keras' metrics are stateful:
// update_state adds a batch's counts to the metric's variables, result()
// reads the metric from them, and fit resets them at the start of every
// epoch, so an epoch's value is that of all its rows together, never a mean
// of per-batch values. nn does the same: a metricState holds the sums of
// one Fit (reset every epoch), of one TrainOnBatch, or of one Evaluate
// (over its chunks), and each metric's arithmetic says what it sums.

// metricImpl is one metric's arithmetic over its running sums s (size of
// them): add puts a batch's counts into s, every row weighted by w (the
// weighted loop passes one row at a time with its sample weight), and value
// reads the metric from s.
type metricImpl[T number] struct {
	size  int
	add   func(y, out matrix[T], w float64, s []float64)
	value func(s []float64) float64
}

// mean is a metric whose value is a fraction: f gives a batch's numerator
// and denominator, and the value is the sum of the numerators over the sum
// of the denominators (0 when nothing was counted, as Keras' divide_no_nan).
func mean[T number](f metricFunc[T]) metricImpl[T] {
	return metricImpl[T]{size: 2,
		add: func(y, out matrix[T], w float64, s []float64) {
			num, den := f(y, out)
			s[0] += w * num
			s[1] += w * den
		},
		value: func(s []float64) float64 { return ratio(s[0], s[1]) },
	}
}

// ratio is num / den, 0 when den is 0, as Keras' divide_no_nan.
func ratio(num, den float64) float64 {
	if den == 0 {
		return 0
	}
	return num / den
}

// metricState is the running sums of a list of metrics, in one slice
// allocated once, so that adding a batch allocates nothing.
type metricState[T number] struct {
	names []Metric
	impls []metricImpl[T]
	off   []int // impls[i]'s sums are sums[off[i]:off[i+1]]
	sums  []float64
}

func newMetricState[T number](ms []Metric, loss Loss, yCols, units int) *metricState[T] {
	st := &metricState[T]{names: ms, off: []int{0}}
	for _, mt := range ms {
		f := metricFor[T](mt, loss, yCols, units)
		st.impls = append(st.impls, f)
		st.off = append(st.off, st.off[len(st.off)-1]+f.size)
	}
	st.sums = make([]float64, st.off[len(st.off)-1])
	return st
}

// reset starts the sums afresh, as Keras' reset_state.
func (st *metricState[T]) reset() { clear(st.sums) }

// add adds a batch's counts, every row weighted by w.
func (st *metricState[T]) add(y, out matrix[T], w float64) {
	for i, f := range st.impls {
		f.add(y, out, w, st.sums[st.off[i]:st.off[i+1]])
	}
}

// value is metric i's value from the sums so far.
func (st *metricState[T]) value(i int) float64 {
	return st.impls[i].value(st.sums[st.off[i]:st.off[i+1]])
}

// logs writes every metric's value under its name.
func (st *metricState[T]) logs(logs map[string]float64) {
	for i, mt := range st.names {
		logs[string(mt)] = st.value(i)
	}
}

package nn

import (
	"math"
	"testing"
)

// Standalone losses and metrics against their formulas.
func TestLossAndMetricCompute(t *testing.T) {
	for _, c := range []struct {
		name string
		got  func() (float64, error)
		want float64
	}{
		{"mse", func() (float64, error) {
			return MeanSquaredError.Compute([][]float64{{1, 2}, {0, 0}}, [][]float64{{0, 4}, {1, 1}})
		}, ((1+4)/2.0 + (1+1)/2.0) / 2},
		{"mse alias", func() (float64, error) { return Loss("mse").Compute([]float64{3}, []float64{1}) }, 4},
		{"categorical", func() (float64, error) {
			return CategoricalCrossentropy.Compute([][]float64{{0, 1}, {1, 0}}, [][]float64{{0.2, 0.8}, {0.6, 0.4}})
		}, -(math.Log(0.8) + math.Log(0.6)) / 2},
		{"sparse", func() (float64, error) {
			return SparseCategoricalCrossentropy.Compute([]int{1, 0}, [][]float64{{0.2, 0.8}, {0.6, 0.4}})
		}, -(math.Log(0.8) + math.Log(0.6)) / 2},
		{"binary", func() (float64, error) { return BinaryCrossentropy.Compute([]float64{1, 0}, []float64{0.9, 0.3}) },
			-(math.Log(0.9) + math.Log(0.7)) / 2},
		{"binary clipped as Keras", func() (float64, error) { return BinaryCrossentropy.Compute([]float64{1}, []float64{0}) },
			-math.Log(1e-7)},
		{"mae", func() (float64, error) { return MAE.Compute([]float64{1, 2}, []float64{2, 4}) }, 1.5},
		{"binary accuracy", func() (float64, error) { return Accuracy.Compute([]float64{1, 0, 1}, []float64{0.7, 0.6, 0.2}) }, 1.0 / 3},
		{"categorical accuracy", func() (float64, error) {
			return Accuracy.Compute([][]float64{{0, 1}, {1, 0}}, [][]float64{{0.2, 0.8}, {0.4, 0.6}})
		}, 0.5},
		{"sparse accuracy", func() (float64, error) { return Accuracy.Compute([]int{1, 0}, [][]float64{{0.2, 0.8}, {0.9, 0.1}}) }, 1},
	} {
		got, err := c.got()
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	_, err := MeanSquaredError.Compute([]float64{1, 2}, []float64{1})
	wantErr(t, "rows", err, "nn.Compute(mean_squared_error): yTrue has 2 rows but yPred has 1")
	_, err = MeanSquaredError.Compute([][]float64{{1, 2}}, []float64{1})
	wantErr(t, "cols", err, "yTrue is 1x2 but yPred is 1x1")
	_, err = CategoricalCrossentropy.Compute([][]float64{{0, 2}}, [][]float64{{0.5, 0.5}})
	wantErr(t, "labels", err, "one-hot labels")
	_, err = Loss("hinge").Compute([]float64{1}, []float64{1})
	wantErr(t, "unknown", err, "hinge")
}

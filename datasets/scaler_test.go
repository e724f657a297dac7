package datasets

import (
	"bytes"
	"encoding/gob"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func TestStandardScaler(t *testing.T) {
	// Column a: 1, 2, 3 (mean 2, population std sqrt(2/3)); b constant.
	train := mat.NewDense(3, 2, []float64{1, 5, 2, 5, 3, 5})
	var s StandardScaler // the zero value is ready to fit
	xt, err := s.FitTransform(train)
	if err != nil {
		t.Fatal(err)
	}
	sd := math.Sqrt(2.0 / 3)
	if s.Mean[0] != 2 || math.Abs(s.Scale[0]-sd) > 1e-15 || s.Mean[1] != 5 || s.Scale[1] != 1 || s.Rows != 3 {
		t.Fatalf("fitted Mean %v Scale %v Rows %d; want [2 5], [%v 1], 3", s.Mean, s.Scale, s.Rows, sd)
	}
	want := []float64{-1 / sd, 0, 0, 0, 1 / sd, 0}
	for i, v := range xt.RawMatrix().Data {
		if math.Abs(v-want[i]) > 1e-12 {
			t.Fatalf("FitTransform = %v, want %v", xt.RawMatrix().Data, want)
		}
	}
	// Test data uses the training numbers, not its own.
	test := mat.NewDense(1, 2, []float64{4, 6})
	got, err := s.Transform(test)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got.At(0, 0)-2/sd) > 1e-12 || got.At(0, 1) != 1 {
		t.Errorf("Transform(test) = %v, want [%v 1]", got.RawMatrix().Data, 2/sd)
	}
	back, err := s.InverseTransform(got)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(back.At(0, 0)-4) > 1e-12 || back.At(0, 1) != 6 {
		t.Errorf("InverseTransform = %v, want [4 6]", back.RawMatrix().Data)
	}
	// A fitted scaler can be saved with the model.
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&s); err != nil {
		t.Fatal(err)
	}
	var s2 StandardScaler
	if err := gob.NewDecoder(&buf).Decode(&s2); err != nil {
		t.Fatal(err)
	}
	if got2, _ := s2.Transform(test); !mat.Equal(got, got2) {
		t.Error("a gob round trip changed the scaler")
	}
}

// On the wages data, standardizing the training part gives each column mean
// 0 and population std 1 (constant-free columns).
func TestStandardScalerOnWages(t *testing.T) {
	train, test, err := TrainTestSplit(HourlyWages(), 0.2, 1)
	if err != nil {
		t.Fatal(err)
	}
	var s StandardScaler
	xt, err := s.FitTransform(train.X)
	if err != nil {
		t.Fatal(err)
	}
	r, c := xt.Dims()
	for j := 0; j < c; j++ {
		sum, ss := 0.0, 0.0
		for i := 0; i < r; i++ {
			sum += xt.At(i, j)
		}
		for i := 0; i < r; i++ {
			ss += (xt.At(i, j) - sum/float64(r)) * (xt.At(i, j) - sum/float64(r))
		}
		if math.Abs(sum/float64(r)) > 1e-12 || math.Abs(math.Sqrt(ss/float64(r))-1) > 1e-12 {
			t.Errorf("column %s: mean %v std %v after scaling", train.Features[j], sum/float64(r), math.Sqrt(ss/float64(r)))
		}
	}
	if _, err := s.Transform(test.X); err != nil {
		t.Fatal(err)
	}
}

func TestStandardScalerErrors(t *testing.T) {
	var s StandardScaler
	_, err := s.Transform(mat.NewDense(2, 2, nil))
	wantErr(t, err, "not fitted", "call Fit")
	var nilScaler *StandardScaler
	_, err = nilScaler.Transform(mat.NewDense(2, 2, nil))
	wantErr(t, err, "not fitted")
	err = s.Fit(nil)
	wantErr(t, err, "x is nil")
	err = s.Fit(&mat.Dense{})
	wantErr(t, err, "x is 0x0")
	err = s.Fit(mat.NewDense(2, 2, []float64{1, math.NaN(), 3, 4}))
	wantErr(t, err, "x[0][1] is NaN", "fill missing values")

	if err := s.Fit(mat.NewDense(623, 10, nil)); err != nil {
		t.Fatal(err)
	}
	_, err = s.Transform(mat.NewDense(91, 9, nil))
	wantErr(t, err, "x is 91x9 but the scaler was fitted on 623x10 data", "same features")
	_, err = s.InverseTransform(mat.NewDense(1, 3, nil))
	wantErr(t, err, "StandardScaler.InverseTransform: x is 1x3")
	_, err = s.Transform(mat.NewDense(1, 10, []float64{math.Inf(1), 0, 0, 0, 0, 0, 0, 0, 0, 0}))
	wantErr(t, err, "x[0][0] is +Inf")
	s.Scale = s.Scale[:2]
	_, err = s.Transform(mat.NewDense(1, 10, nil))
	wantErr(t, err, "Mean has 10 values but Scale 2")
}

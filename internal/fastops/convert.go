package fastops

// ToFloat32 sets dst[i] = float32(src[i]) (rounded to nearest even, as Go
// converts) for every i of src, and reports whether every src[i] is finite:
// it converts and checks the user's float64 data in one pass, the first
// thing Predict does with it. dst must be at least as long as src. When it
// reports false, dst holds every value converted (a NaN or infinity too) and
// the caller looks for the first bad one itself (FirstNotFinite), the rare
// case.
func ToFloat32(dst []float32, src []float64) bool {
	if toFloat32F64 != nil {
		return toFloat32F64(dst, src)
	}
	return toFloat32Go(dst[:len(src)], src)
}

// Finite reports whether every value of x is finite (no NaN, no infinity):
// Fit's check of the data it is given.
func Finite(x []float64) bool {
	if sumNaNF64 != nil {
		return sumNaNF64(x)
	}
	return finiteGo(x)
}

// FirstNotFinite returns the index of the first NaN or infinite value of x,
// -1 if there is none.
func FirstNotFinite(x []float64) int {
	for i, v := range x {
		if v-v != 0 { // x-x is 0 for every finite x, NaN otherwise
			return i
		}
	}
	return -1
}

// toFloat32Go is ToFloat32's portable loop. Like the assembly it checks by
// adding v-v up: no branch per value.
func toFloat32Go(dst []float32, src []float64) bool {
	dst = dst[:len(src)]
	var acc float64
	for i, v := range src {
		acc += v - v
		dst[i] = float32(v)
	}
	return acc == 0
}

func finiteGo(x []float64) bool {
	var acc float64
	for _, v := range x {
		acc += v - v
	}
	return acc == 0
}

// Assembly versions, set at init where the CPU has them.
var (
	toFloat32F64 func(dst []float32, src []float64) bool
	sumNaNF64    func(x []float64) bool
)

package cpufeat

import "os"

// X86 holds the features the kernels use; all false on other architectures.
var X86 struct {
	HasAVX2FMA bool // AVX2 and FMA3 usable (CPU and OS support)
}

// Disabled reports whether DLNB_NOASM=1 asked for the portable paths only.
var Disabled = os.Getenv("DLNB_NOASM") == "1"

func init() {
	if !Disabled {
		detect()
	}
}

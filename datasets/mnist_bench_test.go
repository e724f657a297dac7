package datasets

import "testing"

// BenchmarkMNISTTrain loads the 60,000 training images (decompress, check,
// scale to float64). Reference: see the package README section.
func BenchmarkMNISTTrain(b *testing.B) {
	dir, err := MNISTDir()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		d, err := loadMNIST(dir, mnistTrainImages, mnistTrainLabels, 0)
		if err != nil {
			b.Fatal(err)
		}
		if d.Len() != 60000 {
			b.Fatalf("got %d images", d.Len())
		}
	}
}

// BenchmarkMNIST loads both sets, as MNIST() does.
func BenchmarkMNIST(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := MNIST(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMNIST2500 loads the course's 2,500-image sample.
func BenchmarkMNIST2500(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MNIST2500(); err != nil {
			b.Fatal(err)
		}
	}
}

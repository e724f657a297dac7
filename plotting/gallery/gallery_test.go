package gallery

import (
	"strings"
	"testing"
)

// Every chart comes out of real, seeded trainings without error, and the same
// seeds give the same charts.
func TestAllDeterministic(t *testing.T) {
	a, err := All()
	if err != nil {
		t.Fatal(err)
	}
	b, err := All()
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 20 {
		t.Fatalf("%d charts, want 20", len(a))
	}
	seen := map[string]bool{}
	for i := range a {
		if seen[a[i].Name] {
			t.Errorf("two charts named %q", a[i].Name)
		}
		seen[a[i].Name] = true
		if a[i].Chart.String() != b[i].Chart.String() {
			t.Errorf("%s differs between runs:\n%s\n%s", a[i].Name, a[i].Chart, b[i].Chart)
		}
	}
	// The sweep's largest rate blows the loss up, which the chart says.
	for _, s := range a {
		if s.Name == "learning-rates" {
			if got := s.Chart.String(); !strings.Contains(got, "lr = 1 (diverged)") {
				t.Errorf("learning-rate chart: %s", got)
			}
		}
	}
}

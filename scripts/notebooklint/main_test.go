package notebooklint

import (
	"fmt"
	"os"
	"testing"
)

// TestMain runs the tests in notebooks/, whose files they read.
func TestMain(m *testing.M) {
	if err := os.Chdir("../../notebooks"); err != nil {
		fmt.Fprintln(os.Stderr, "notebooklint:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

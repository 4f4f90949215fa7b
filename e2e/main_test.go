//go:build !js

package e2e

import (
	"fmt"
	"os"
	"testing"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// harness is the repository, this run's module and the browser; each test
// opens tabs from it. Set once by TestMain, read-only afterwards.
var harness *browsertest.Harness

// TestMain builds the module, starts one headless Chromium for the package and
// runs the tests. A browser test that cannot run fails the run; it never skips.
func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	h, err := browsertest.Start(browsertest.Options{})
	if err != nil {
		fmt.Fprintf(os.Stderr, "FAIL e2e: %v\n", err)
		return 1
	}
	defer h.Close()
	harness = h
	return m.Run()
}

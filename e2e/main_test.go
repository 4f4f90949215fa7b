//go:build !js

package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/authfetch/authfetch/internal/headless"
)

// chromiumPath is the browser the tests drive.
const chromiumPath = "/usr/bin/chromium"

// Set once by TestMain, read-only afterwards.
var (
	repoRoot    string          // the repository root, served at "/"
	builtWasm   string          // the module built for this run
	browserRoot context.Context // the browser; each test opens a tab from it
)

// TestMain builds the module, starts one headless Chromium for the package and
// runs the tests. A browser test that cannot run fails the run; it never skips.
func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "authfetch-e2e-")
	if err != nil {
		return fail("creating a temporary directory: %v", err)
	}
	defer os.RemoveAll(tmp)

	if repoRoot, err = filepath.Abs(".."); err != nil {
		return fail("finding the repository root: %v", err)
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		return fail("the browser tests need Chromium at %s: %v", chromiumPath, err)
	}
	for _, f := range []string{"js/authfetch.js", "wasm_exec.js"} {
		if _, err := os.Stat(filepath.Join(repoRoot, f)); err != nil {
			return fail("the page needs %s: %v", f, err)
		}
	}
	if builtWasm, err = buildModule(tmp); err != nil {
		return fail("%v", err)
	}

	ctx, stop, err := startBrowser(filepath.Join(tmp, "profile"))
	if err != nil {
		return fail("starting %s: %v", chromiumPath, err)
	}
	defer stop()
	browserRoot = ctx
	return m.Run()
}

// buildModule builds ./wasm into dir with the command of the Makefile, so that
// no test runs against a stale build, and returns the path of the .wasm.
func buildModule(dir string) (string, error) {
	out := filepath.Join(dir, "authfetch.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, "./wasm")
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the module (GOOS=js GOARCH=wasm go build ./wasm in %s): %v\n%s", repoRoot, err, b)
	}
	return out, nil
}

// startBrowser starts headless Chromium with a fresh profile in profileDir and
// returns the context of its first tab.
func startBrowser(profileDir string) (context.Context, func(), error) {
	return headless.Start(chromiumPath, profileDir)
}

func fail(format string, args ...any) int {
	fmt.Fprintf(os.Stderr, "FAIL e2e: "+format+"\n", args...)
	return 1
}

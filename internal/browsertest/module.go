//go:build !js

package browsertest

import (
	"fmt"
	"os"
	"os/exec"
)

// BuildModule builds ./wasm of the repository at root into out, with the
// command of make build, so that no page runs a stale module. keepNames
// leaves out -s -w, so that a profile shows the Go functions by name.
func BuildModule(root, out string, keepNames bool) error {
	args := []string{"build", "-trimpath", "-ldflags=-s -w", "-o", out, "./wasm"}
	if keepNames {
		args = []string{"build", "-trimpath", "-o", out, "./wasm"}
	}
	cmd := exec.Command(GoCommand(), args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("browsertest: building the module (GOOS=js GOARCH=wasm go build ./wasm in %s): %v\n%s", root, err, b)
	}
	return nil
}

// GoCommand is the go command: $GO when set (the Makefile passes its own),
// else go from PATH.
func GoCommand() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}

//go:build !js

package browsertest

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// modulePath is the module whose repository the harness serves and builds.
const modulePath = "github.com/authfetch/authfetch"

// RepoRoot returns the repository root: the nearest folder at or above the
// working directory whose go.mod declares modulePath. go test runs in the
// package's folder and go run where it is called, so both find it.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("browsertest: %w", err)
	}
	for {
		if declares(filepath.Join(dir, "go.mod"), modulePath) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("browsertest: no go.mod of " + modulePath + " at or above the working directory")
		}
		dir = parent
	}
}

// declares reports whether the go.mod at path declares module.
func declares(path, module string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) == 2 && fields[0] == "module" {
			return fields[1] == module
		}
	}
	return false
}

//go:build !js

package e2e

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The tools of the tests that build front-ends: npm, Vite, tsc, and the
// staging of the repository's files they read.

// runTool runs name with args in dir and returns what it printed on stdout,
// failing the test with all it printed when it fails or takes longer than limit.
func runTool(t *testing.T, limit time.Duration, dir, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "npm_config_update_notifier=false")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	require.NoError(t, err, "%s %s (in %s, after %v):\n%s%s", name, strings.Join(args, " "), dir, time.Since(start).Round(time.Millisecond), stdout.String(), stderr.String())
	t.Logf("%s %s: %v", filepath.Base(name), strings.Join(args, " "), time.Since(start).Round(time.Millisecond))
	return stdout.String()
}

// requireInstalled fails unless npm ci has installed dir's package-lock.json.
func requireInstalled(t *testing.T, dir string) {
	t.Helper()
	marker := filepath.Join(dir, "node_modules", ".package-lock.json")
	_, err := os.Stat(marker)
	require.NoError(t, err, "the npm packages of %s are not installed: run make deps (npm ci in that folder)", dir)
}

// stageExample copies the example web/name, but for its build outputs
// (skip), into a copy of the repository's layout in a temporary folder, so
// that the example's aliases (../../js) reach this run's module and not a
// stale js/authfetch.wasm; its node_modules are linked. It returns the
// copy's folder and the layout's root.
func stageExample(t *testing.T, name string, skip ...string) (app, root string) {
	t.Helper()
	example := filepath.Join(harness.Root, "web", name)
	requireInstalled(t, example)
	root = t.TempDir()
	stagePackage(t, filepath.Join(root, "js"))
	app = filepath.Join(root, "web", name)
	copyTreeTo(t, example, app, append(skip, "node_modules")...)
	require.NoError(t, os.Symlink(filepath.Join(example, "node_modules"), filepath.Join(app, "node_modules")))
	return app, root
}

// copyTreeTo copies the regular files under src to dst, skipping the folders
// named in skip (node_modules, build outputs).
func copyTreeTo(t *testing.T, src, dst string, skip ...string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			for _, name := range skip {
				if d.Name() == name {
					return filepath.SkipDir
				}
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFileTo(path, filepath.Join(dst, rel))
	})
	require.NoError(t, err, "copying %s to %s", src, dst)
}

func copyFileTo(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

// stagePackage lays out in dir the package folder js/ as make build fills
// it in: the committed files that package.json names (and the manifest and
// its prepack check), this run's module as authfetch.wasm, the committed
// wasm_exec.js (checked against the toolchain), LICENSE and README.md. It
// returns the manifest's "files".
func stagePackage(t *testing.T, dir string) []string {
	t.Helper()
	var pkg struct {
		Files []string `json:"files"`
	}
	b, err := os.ReadFile(filepath.Join(harness.Root, "js", "package.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &pkg))
	from := map[string]string{
		"authfetch.wasm": harness.Module,
		"wasm_exec.js":   filepath.Join(harness.Root, "wasm_exec.js"),
		"LICENSE":        filepath.Join(harness.Root, "LICENSE"),
		"README.md":      filepath.Join(harness.Root, "README.md"),
	}
	for _, f := range append([]string{"package.json", "prepack.js", "LICENSE", "README.md"}, pkg.Files...) {
		src, ok := from[f]
		if !ok {
			src = filepath.Join(harness.Root, "js", f)
		}
		require.NoError(t, copyFileTo(src, filepath.Join(dir, f)), "staging %s", f)
	}
	return pkg.Files
}

//go:build !js

package browsertest

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// DefaultChromium is where Debian's chromium package puts the browser.
const DefaultChromium = "/usr/bin/chromium"

// Options configures Start. The zero value uses DefaultChromium.
type Options struct {
	Chromium   string // the browser binary; "" means DefaultChromium
	Foreground bool   // see StartBrowser
}

// Harness is what a browser test run shares: the repository, this run's
// build of the module, and one Chromium. Start it once per process.
type Harness struct {
	Root    string        // the repository root
	Module  string        // this run's authfetch.wasm
	Built   time.Duration // how long the build took
	Browser *Browser

	tmp string // the module and the browser profile; removed by Close
}

// Start finds the repository root, builds the module once and starts
// headless Chromium. It fails, with what to do, when Chromium or a file the
// page loads is missing: a browser test that cannot run must not pass.
func Start(opts Options) (*Harness, error) {
	chromium := opts.Chromium
	if chromium == "" {
		chromium = DefaultChromium
	}
	if _, err := os.Stat(chromium); err != nil {
		return nil, fmt.Errorf("browsertest: the browser tests need Chromium at %s (apt-get install -y chromium): %w", chromium, err)
	}
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	for _, f := range []string{"js/authfetch.js", "wasm_exec.js"} {
		if _, err := os.Stat(filepath.Join(root, f)); err != nil {
			return nil, fmt.Errorf("browsertest: the page needs %s: %w", f, err)
		}
	}
	tmp, err := os.MkdirTemp("", "authfetch-browsertest-")
	if err != nil {
		return nil, fmt.Errorf("browsertest: %w", err)
	}
	h := &Harness{Root: root, Module: filepath.Join(tmp, "authfetch.wasm"), tmp: tmp}
	start := time.Now()
	if err := BuildModule(root, h.Module, false); err != nil {
		h.Close()
		return nil, err
	}
	h.Built = time.Since(start)
	if h.Browser, err = StartBrowser(chromium, filepath.Join(tmp, "profile"), opts.Foreground); err != nil {
		h.Close()
		return nil, err
	}
	return h, nil
}

// Close stops the browser and removes the build and the profile.
func (h *Harness) Close() {
	if h.Browser != nil {
		h.Browser.Close()
	}
	os.RemoveAll(h.tmp)
}

// Files is ModuleFiles for this run's build.
func (h *Harness) Files() http.Handler { return ModuleFiles(h.Root, h.Module) }

// TempDir makes a folder that Close removes, for files the run derives from
// the module (compressed copies, builds with other flags).
func (h *Harness) TempDir(name string) (string, error) {
	dir := filepath.Join(h.tmp, name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return "", errors.Join(errors.New("browsertest: a folder for the run"), err)
	}
	return dir, nil
}

//go:build !js

package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
)

// sizes are the bytes of one module, raw and precompressed.
type sizes struct{ raw, gzip, brotli int64 }

// prepareModules puts into dir the modules that the cold start loads:
// authfetch.wasm (a copy of built, the run's module, built as make build
// does) and empty.wasm (a main(){} program built by the same toolchain with
// the same flags), each with .gz (gzip -9) and .br (brotli -q 11) beside it.
func prepareModules(built, dir string) (authfetch, empty sizes, err error) {
	b, err := os.ReadFile(built)
	if err != nil {
		return sizes{}, sizes{}, fmt.Errorf("bench: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "authfetch.wasm"), b, 0o644); err != nil {
		return sizes{}, sizes{}, err
	}
	if err := buildEmpty(dir); err != nil {
		return sizes{}, sizes{}, err
	}
	if authfetch, err = compress(filepath.Join(dir, "authfetch.wasm")); err != nil {
		return sizes{}, sizes{}, err
	}
	if empty, err = compress(filepath.Join(dir, "empty.wasm")); err != nil {
		return sizes{}, sizes{}, err
	}
	return authfetch, empty, nil
}

// buildEmpty builds dir/empty.wasm from a module whose main does nothing,
// with the flags of the Makefile: the floor of any Go WebAssembly program.
func buildEmpty(dir string) error {
	src := filepath.Join(dir, "empty-src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return err
	}
	files := map[string]string{
		"go.mod":  "module empty\n\ngo 1.26\n",
		"main.go": "package main\n\nfunc main() {}\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	cmd := exec.Command(browsertest.GoCommand(), "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(dir, "empty.wasm"), ".")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOWORK=off", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("bench: building the empty Go program (GOOS=js GOARCH=wasm go build in %s): %v\n%s", src, err, out)
	}
	return nil
}

// compress writes path.gz (gzip -9) and path.br (brotli -q 11) and returns
// the three sizes.
func compress(path string) (sizes, error) {
	var s sizes
	for _, c := range []struct {
		ext  string
		args []string
		size *int64
	}{
		{".gz", []string{"gzip", "-9", "-n", "-c", path}, &s.gzip},
		{".br", []string{"brotli", "-q", "11", "-c", path}, &s.brotli},
	} {
		if _, err := exec.LookPath(c.args[0]); err != nil {
			return s, fmt.Errorf("bench: %s is missing (apt-get install -y %s; make bench installs it)", c.args[0], c.args[0])
		}
		var out, errb bytes.Buffer
		cmd := exec.Command(c.args[0], c.args[1:]...)
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			return s, fmt.Errorf("bench: %s: %v: %s", strings.Join(c.args, " "), err, errb.String())
		}
		if err := os.WriteFile(path+c.ext, out.Bytes(), 0o644); err != nil {
			return s, err
		}
		*c.size = int64(out.Len())
	}
	fi, err := os.Stat(path)
	if err != nil {
		return s, err
	}
	s.raw = fi.Size()
	return s, nil
}

// machine describes where the bench ran.
type machine struct {
	date       string
	cpus       int
	cpuModel   string
	goVer      string
	chromium   string
	packages   []string // "name version" of the npm contenders
	loadStart  string   // /proc/loadavg's 1-minute figure before the bench started anything
	loadDuring string   // the same, sampled while it ran (loadSampler.summary)
}

func describeMachine(repoRoot, chromium string) machine {
	m := machine{
		date:     time.Now().UTC().Format("2006-01-02 15:04 MST"),
		cpus:     runtime.NumCPU(),
		cpuModel: cpuModel(),
		goVer:    goVersion(),
		chromium: chromium,
	}
	for _, name := range []string{"axios", "axios-auth-refresh", "ky"} {
		m.packages = append(m.packages, name+" "+packageVersion(repoRoot, name))
	}
	return m
}

// cpuModel is the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// goVersion is the version of the toolchain that builds the modules.
func goVersion() string {
	out, err := exec.Command(browsertest.GoCommand(), "env", "GOVERSION").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(out))
}

// packageVersion reads the version of an installed npm package.
func packageVersion(repoRoot, name string) string {
	b, err := os.ReadFile(filepath.Join(repoRoot, "node_modules", name, "package.json"))
	if err != nil {
		return "missing"
	}
	const key = `"version":`
	i := bytes.Index(b, []byte(key))
	if i < 0 {
		return "unknown"
	}
	rest := strings.TrimSpace(string(b[i+len(key):]))
	v, _, _ := strings.Cut(strings.TrimPrefix(rest, `"`), `"`)
	return v
}

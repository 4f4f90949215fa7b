//go:build !js

package e2e

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authfetch/authfetch/web/demoapi"
	"github.com/stretchr/testify/require"
)

// siteServer is a static host for a built front-end (a Vite dist folder, the
// demo page) and the demo API on one 127.0.0.1 origin, as an app is deployed.
// It records the Authorization header of every request to /api/.
type siteServer struct {
	*demoServer // URL, stats, revoke

	mu    sync.Mutex
	auths []string // guarded by mu: the Authorization header of each /api/ request, in order
}

// newSiteServer serves the files of mux's "/" from dir, and /auth/, /api/ and
// /demo/ from a fresh demo API. extra, when given, adds routes first.
func newSiteServer(t *testing.T, dir string, extra ...func(*http.ServeMux)) *siteServer {
	t.Helper()
	s := &siteServer{}
	api := demoapi.New(demoapi.Config{AccessTTL: 10 * time.Minute})
	mux := http.NewServeMux()
	for _, add := range extra {
		add(mux)
	}
	files := http.FileServer(http.Dir(dir))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			w.Header().Set("Content-Type", "application/wasm") // whatever the system's mime.types say
		}
		files.ServeHTTP(w, r)
	})
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.auths = append(s.auths, r.Header.Get("Authorization"))
		s.mu.Unlock()
		api.ServeHTTP(w, r)
	})
	mux.Handle("/auth/", api)
	mux.Handle("/demo/", api)

	srv := httptest.NewUnstartedServer(noStoreHandler(mux))
	srv.Listener.Close()
	srv.Listener = listenLocal(t)
	srv.Start()
	t.Cleanup(srv.Close)
	s.demoServer = &demoServer{URL: srv.URL}
	return s
}

// apiAuths returns the Authorization header of each request to /api/ so far.
func (s *siteServer) apiAuths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auths...)
}

func noStoreHandler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// pageUntil waits, inside the page, until the JS expression cond is true.
func pageUntil(t *testing.T, tb *tab, cond, what string) {
	t.Helper()
	ok := eval[bool](t, tb, `
		const deadline = Date.now() + 10000;
		while (!(`+cond+`)) {
			if (Date.now() > deadline) return false;
			await new Promise(r => setTimeout(r, 10));
		}
		return true;`)
	require.True(t, ok, "timed out waiting in the page for %s: %s", what, cond)
}

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

// stageSources lays out, under dir, the files of the repository that a
// front-end build reads: js/ (with this run's module as js/authfetch.wasm)
// and wasm_exec.js, in their places, so that authfetch.js finds
// ../wasm_exec.js and ./authfetch.wasm as it does in the repository.
func stageSources(t *testing.T, dir string) {
	t.Helper()
	for _, f := range []string{"js/authfetch.js", "js/request.js", "js/authfetch.d.ts", "js/vue.js", "js/vue.d.ts", "wasm_exec.js"} {
		require.NoError(t, copyFileTo(filepath.Join(repoRoot, f), filepath.Join(dir, f)))
	}
	require.NoError(t, copyFileTo(builtWasm, filepath.Join(dir, "js", "authfetch.wasm")))
}

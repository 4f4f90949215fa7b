package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authfetch/authfetch/web/demoapi"
)

// fakeRoot lays out a repository root with the files the server reads.
func fakeRoot(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"web/static/index.html": "<!doctype html><title>demo</title>",
		"web/static/demo.js":    "import '/js/authfetch.js'",
		"js/authfetch.js":       "export function createAuthFetch () {}",
		"js/authfetch.wasm":     "\x00asm\x01\x00\x00\x00",
		"wasm_exec.js":          "class Go {}",
		"go.mod":                "module secret",
	}
	for name, body := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestServerRoutes(t *testing.T) {
	if err := ensureWASMType(); err != nil {
		t.Fatal(err)
	}
	srv := newServer(fakeRoot(t), demoapi.New(demoapi.Config{}))
	tests := []struct {
		method, path string
		status       int
		contentType  string // prefix; empty: not checked
		body         string // substring; empty: not checked
		noStore      bool
	}{
		{"GET", "/", 200, "text/html", "<title>demo</title>", true},
		{"HEAD", "/", 200, "text/html", "", true},
		{"GET", "/static/demo.js", 200, "text/javascript", "import", true},
		{"GET", "/js/authfetch.js", 200, "text/javascript", "createAuthFetch", true},
		{"GET", "/js/authfetch.wasm", 200, "application/wasm", "asm", true},
		{"GET", "/wasm_exec.js", 200, "text/javascript", "class Go", true},
		// http.FileServer drops Cache-Control from its error answers.
		{"GET", "/static/nope.js", 404, "", "", false},
		{"GET", "/go.mod", 404, "", "", false},
		// The mux cleans the path and redirects: to /go.mod, the 404 above.
		{"GET", "/static/../go.mod", 307, "", "", false},
		{"POST", "/", 405, "", "", false},
		{"GET", "/api/me", 401, "application/json", "missing access token", true},
		{"GET", "/demo/stats", 200, "application/json", `"refreshMode":"ok"`, true},
		{"POST", "/auth/login", 400, "application/json", "bad JSON", true},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tt.status, rec.Body.String())
			}
			if got := rec.Header().Get("Content-Type"); !strings.HasPrefix(got, tt.contentType) {
				t.Errorf("Content-Type %q, want %q", got, tt.contentType)
			}
			if !strings.Contains(rec.Body.String(), tt.body) {
				t.Errorf("body %q, want it to contain %q", rec.Body.String(), tt.body)
			}
			if got := rec.Header().Get("Cache-Control") == "no-store"; got != tt.noStore {
				t.Errorf("Cache-Control %q, want no-store: %v", rec.Header().Get("Cache-Control"), tt.noStore)
			}
		})
	}
}

// The real page and script must be where the server looks for them.
func TestServesTheRepositoryPage(t *testing.T) {
	srv := newServer("..", demoapi.New(demoapi.Config{}))
	for path, want := range map[string]string{
		"/":                 `<script type="module" src="/static/demo.js"`,
		"/static/demo.js":   `import { createAuthFetch } from '/js/authfetch.js'`,
		"/static/style.css": ":root",
		"/wasm_exec.js":     "Go",
	} {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
			t.Errorf("GET %s: status %d, want 200 and a body containing %q", path, rec.Code, want)
		}
	}
}

func TestCheckRoot(t *testing.T) {
	if err := checkRoot(fakeRoot(t)); err != nil {
		t.Errorf("checkRoot(a repository root): %v", err)
	}
	err := checkRoot(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "not the repository root") {
		t.Errorf("checkRoot(an empty directory) = %v, want an error naming -root", err)
	}
}

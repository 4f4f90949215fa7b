//go:build !js

package browsertest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestModuleFilesServeTheModuleAndTheLoader(t *testing.T) {
	root := t.TempDir()
	for name, text := range map[string]string{
		"js/authfetch.js":      "// loader",
		"js/authfetch.wasm.br": "stale",
		"wasm_exec.js":         "// Go",
		"build/authfetch.wasm": "\x00asm",
	} {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files := ModuleFiles(root, filepath.Join(root, "build", "authfetch.wasm"))
	tests := []struct {
		path, wantType string
		want           int
	}{
		{"/js/authfetch.wasm", "application/wasm", http.StatusOK},
		{"/js/authfetch.js", "text/javascript; charset=utf-8", http.StatusOK},
		{"/js/wasm_exec.js", "text/javascript; charset=utf-8", http.StatusOK},
		{"/wasm_exec.js", "text/javascript; charset=utf-8", http.StatusOK},
		{"/page.html", "text/html; charset=utf-8", http.StatusOK},
		{"/favicon.ico", "", http.StatusNoContent},
		{"/js/authfetch.wasm.br", "", http.StatusNotFound},
		{"/elsewhere", "", http.StatusNotFound},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		files.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
		if rec.Code != tt.want || (tt.wantType != "" && rec.Header().Get("Content-Type") != tt.wantType) {
			t.Errorf("%s: %d %q, want %d %q", tt.path, rec.Code, rec.Header().Get("Content-Type"), tt.want, tt.wantType)
		}
	}
}

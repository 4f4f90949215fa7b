package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestPrecompressedModule(t *testing.T) {
	dir := t.TempDir()
	module := filepath.Join(dir, "authfetch.wasm")
	write := func(path, body string, age time.Duration) {
		t.Helper()
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		when := time.Now().Add(-age)
		if err := os.Chtimes(path, when, when); err != nil {
			t.Fatal(err)
		}
	}
	write(module, "raw", time.Hour)
	write(module+".br", "brotli", 0)
	// brotli stamps its output with the module's mtime in whole seconds.
	built := time.Now().Add(-time.Hour).Truncate(time.Second).Add(400 * time.Millisecond)
	if err := os.Chtimes(module, built, built); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(module+".br", built.Truncate(time.Second), built.Truncate(time.Second)); err != nil {
		t.Fatal(err)
	}
	write(module+".gz", "gzip", 2*time.Hour) // older than the module: stale

	tests := []struct {
		accept, wantEncoding, wantBody string
	}{
		{"gzip, deflate, br, zstd", "br", "brotli"},
		{"br;q=0, gzip", "", "raw"}, // gzip copy is stale: the module itself
		{"gzip", "", "raw"},
		{"", "", "raw"},
		{"BR", "br", "brotli"},
	}
	for _, tt := range tests {
		t.Run(tt.accept, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/js/authfetch.wasm", nil)
			req.Header.Set("Accept-Encoding", tt.accept)
			rec := httptest.NewRecorder()
			precompressed(module).ServeHTTP(rec, req)
			if rec.Code != http.StatusOK || rec.Body.String() != tt.wantBody {
				t.Fatalf("got %d %q, want 200 %q", rec.Code, rec.Body, tt.wantBody)
			}
			if got := rec.Header().Get("Content-Encoding"); got != tt.wantEncoding {
				t.Errorf("Content-Encoding %q, want %q", got, tt.wantEncoding)
			}
			if got := rec.Header().Get("Content-Type"); got != wasmType {
				t.Errorf("Content-Type %q, want %s", got, wasmType)
			}
			if got := rec.Header().Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary %q", got)
			}
		})
	}
}

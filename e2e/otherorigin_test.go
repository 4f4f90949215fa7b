//go:build !js

package e2e

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// otherOrigin is a second origin with permissive CORS. It records every
// request and every preflight, to prove that no token is ever sent to it.
type otherOrigin struct {
	URL string
	srv *httptest.Server

	mu         sync.Mutex
	records    []record // guarded by mu: requests other than preflights
	preflights []string // guarded by mu: the Access-Control-Request-Headers of each preflight
}

// newOtherOrigin starts a second origin on another port of 127.0.0.1. GET
// /401 answers 401, /redirect?to=URL redirects; every other path answers 200
// with JSON.
func newOtherOrigin(t *testing.T) *otherOrigin {
	t.Helper()
	o := &otherOrigin{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(o.serve))
	srv.Listener.Close()
	srv.Listener = listenLocal(t)
	srv.Start()
	o.URL, o.srv = srv.URL, srv
	t.Cleanup(srv.Close)
	return o
}

func (o *otherOrigin) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Custom")
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE")
	h.Set("Cache-Control", "no-store")
	if r.Method == http.MethodOptions {
		o.mu.Lock()
		o.preflights = append(o.preflights, r.Header.Get("Access-Control-Request-Headers"))
		o.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
		return
	}
	rec, _ := newRecord(r)
	o.mu.Lock()
	o.records = append(o.records, *rec)
	o.mu.Unlock()
	if r.URL.Path == "/redirect" {
		redirect(w, r)
		return
	}
	if r.URL.Path == "/401" {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "unauthorized"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"uri": r.URL.RequestURI()})
}

// requests returns copies of the recorded requests.
func (o *otherOrigin) requests() []record {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]record(nil), o.records...)
}

// preflightHeaders returns the Access-Control-Request-Headers of each preflight.
func (o *otherOrigin) preflightHeaders() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.preflights...)
}

// close stops the origin, so that requests to it fail with a network error.
func (o *otherOrigin) close() { o.srv.Close() }

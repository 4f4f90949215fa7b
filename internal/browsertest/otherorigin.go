//go:build !js

package browsertest

import (
	"net/http"
	"sync"
)

// OtherOrigin is a second origin with permissive CORS. It records every
// request and every preflight, to prove that no token is ever sent to it.
//
// Routes: /401 answers 401, /redirect?to=URL redirects (as FakeAPI's), and
// every other path 200 {"uri"}.
type OtherOrigin struct {
	*Server

	mu         sync.Mutex
	records    []Record // guarded by mu: requests other than preflights
	preflights []string // guarded by mu: the Access-Control-Request-Headers of each preflight
}

// StartOtherOrigin starts a second origin on another port of 127.0.0.1.
func StartOtherOrigin() (*OtherOrigin, error) {
	o := &OtherOrigin{}
	srv, err := Serve(http.HandlerFunc(o.serve))
	if err != nil {
		return nil, err
	}
	o.Server = srv
	return o, nil
}

func (o *OtherOrigin) serve(w http.ResponseWriter, r *http.Request) {
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
	switch r.URL.Path {
	case "/redirect":
		Redirect(w, r)
	case "/401":
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unauthorized"})
	default:
		writeJSON(w, http.StatusOK, map[string]string{"uri": r.URL.RequestURI()})
	}
}

// Requests returns copies of the recorded requests, preflights aside.
func (o *OtherOrigin) Requests() []Record {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]Record(nil), o.records...)
}

// Preflights returns the Access-Control-Request-Headers of each preflight.
func (o *OtherOrigin) Preflights() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.preflights...)
}

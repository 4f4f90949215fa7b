//go:build !js

package browsertest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"time"
)

// Record is one request that a fake received.
type Record struct {
	Method   string
	Path     string
	URI      string // path and query
	Auth     string // the Authorization header
	Header   http.Header
	Body     string
	Status   int       // the status answered; 0 while none was, or when the browser left first
	Answered time.Time // when Status was written: nothing the answer caused in the page came earlier
	Canceled bool      // the browser went away while the fake held the request
	Outcome  string    // of a refresh call, as the fake counted it: "success", "transient" or "rejection"
}

type recordKey struct{}

// newRecord reads r, and returns its record and r with its body restored.
func newRecord(r *http.Request) (*Record, *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	return &Record{
		Method: r.Method,
		Path:   r.URL.Path,
		URI:    r.URL.RequestURI(),
		Auth:   r.Header.Get("Authorization"),
		Header: r.Header.Clone(),
		Body:   string(body),
	}, r
}

// record keeps r's record, tells the Arrived channels, and returns r with
// the record in its context.
func (a *FakeAPI) record(r *http.Request) (*Record, *http.Request) {
	rec, r := newRecord(r)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.records = append(a.records, rec)
	kept := a.waiters[:0]
	for _, w := range a.waiters {
		if matches(w.path, rec.Path) {
			w.seen++
		}
		if w.seen < w.n {
			kept = append(kept, w)
		} else {
			close(w.done)
		}
	}
	a.waiters = kept
	return rec, r.WithContext(context.WithValue(r.Context(), recordKey{}, rec))
}

// statusWriter notes the status of the answer in its record.
type statusWriter struct {
	http.ResponseWriter
	api *FakeAPI
	rec *Record
}

func (w *statusWriter) WriteHeader(status int) {
	w.note(status)
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.note(http.StatusOK) // what net/http sends when no WriteHeader came first
	return w.ResponseWriter.Write(b)
}

// note keeps the first status of the answer.
func (w *statusWriter) note(status int) {
	w.api.mu.Lock()
	defer w.api.mu.Unlock()
	if w.rec.Status == 0 {
		w.rec.Status = status
		w.rec.Answered = time.Now()
	}
}

// Unwrap lets http.ResponseController flush and hijack.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// arrival is a channel of Arrived, closed once n requests matched.
type arrival struct {
	path    string
	n, seen int
	done    chan struct{}
}

// Arrived returns a channel that is closed once n requests to path have
// arrived, counting those before the call; a path that ends in "/" counts
// every path under it. It needs Config.Record, and panics without: the
// channel would never close.
func (a *FakeAPI) Arrived(path string, n int) <-chan struct{} {
	if !a.cfg.Record {
		panic("browsertest: Arrived needs Config.Record")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	w := &arrival{path: path, n: n, done: make(chan struct{})}
	for _, r := range a.records {
		if matches(path, r.Path) {
			w.seen++
		}
	}
	if w.seen >= n {
		close(w.done)
	} else {
		a.waiters = append(a.waiters, w)
	}
	return w.done
}

// Requests returns copies of the records of the requests to path, in order
// of arrival; a path that ends in "/" matches every path under it.
func (a *FakeAPI) Requests(path string) []Record {
	return a.filter(func(r *Record) bool { return matches(path, r.Path) })
}

// RequestsTo returns copies of the records of the requests to uri, path
// and query.
func (a *FakeAPI) RequestsTo(uri string) []Record {
	return a.filter(func(r *Record) bool { return r.URI == uri })
}

// Auths returns the Authorization header of each request to path.
func (a *FakeAPI) Auths(path string) []string {
	var out []string
	for _, r := range a.Requests(path) {
		out = append(out, r.Auth)
	}
	return out
}

func (a *FakeAPI) filter(keep func(*Record) bool) []Record {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []Record
	for _, r := range a.records {
		if keep(r) {
			out = append(out, *r)
		}
	}
	return out
}

// matches reports whether path is pattern, or under it when pattern ends in "/".
func matches(pattern, path string) bool {
	if strings.HasSuffix(pattern, "/") {
		return strings.HasPrefix(path, pattern)
	}
	return path == pattern
}

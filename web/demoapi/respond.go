package demoapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// maxBody bounds the JSON bodies the demo API reads.
const maxBody = 64 << 10

// errorBody is every error answer: {"error": "..."}.
type errorBody struct {
	Error string `json:"error"`
}

// writeJSON answers status with v as JSON. Answers carry Cache-Control: no-store, which
// RFC 6749 §5.1 requires of token answers and which keeps every demo answer live.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	// The status is already sent: a failed write means the client went away, and there
	// is no one left to tell.
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers status with {"error": msg}.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Error: msg})
}

// decodeJSON reads r's body, at most maxBody bytes, into v.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("bad JSON body for %s %s: %v", r.Method, r.URL.Path, err)
	}
	return nil
}

// decodeOptionalJSON is decodeJSON for a body that may be empty, as a plain POST with
// credentials sends it: an empty body leaves v as it is.
func decodeOptionalJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return fmt.Errorf("reading the body of %s %s: %v", r.Method, r.URL.Path, err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("bad JSON body for %s %s: %v", r.Method, r.URL.Path, err)
	}
	return nil
}

package demoapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
)

type replayRequest struct {
	Token string `json:"token"`
}

// replayResponse is what the server got when it replayed a token.
type replayResponse struct {
	Status          int    `json:"status"`
	WWWAuthenticate string `json:"wwwAuthenticate,omitempty"`
	Error           string `json:"error,omitempty"` // the answer's error code or message
}

// replayToken plays the thief of the demo's "steal the token" button: it sends the
// access token {"token"} to GET /api/me as a Bearer token without a proof, as someone
// who copied it out of the browser would, and answers the status it got. A DPoP-bound
// token is refused (401, WWW-Authenticate: DPoP); a bearer token works for anyone.
//
// The request goes through the demo API's own routes in process, not over the network:
// the thief needs no address, and a Host header cannot send it elsewhere. It counts as
// any request to /api/me does.
func (h *Handler) replayToken(w http.ResponseWriter, r *http.Request) {
	var req replayRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if req.Token == "" {
		writeError(w, http.StatusBadRequest, `missing token: want {"token": "<access token>"}`)
		return
	}
	stolen, err := http.NewRequestWithContext(r.Context(), http.MethodGet, "/api/me", nil)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "building the replayed request: "+err.Error())
		return
	}
	stolen.Host = r.Host
	stolen.Header.Set("Authorization", "Bearer "+req.Token)
	rec := httptest.NewRecorder() // the answer is read here, never sent as it is
	h.mux.ServeHTTP(rec, stolen)
	var body errorBody
	_ = json.Unmarshal(rec.Body.Bytes(), &body) // a 200 has no error; a body that is not JSON has none either
	writeJSON(w, http.StatusOK, replayResponse{
		Status:          rec.Code,
		WWWAuthenticate: rec.Header().Get("WWW-Authenticate"),
		Error:           body.Error,
	})
}

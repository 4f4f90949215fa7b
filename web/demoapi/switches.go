package demoapi

import (
	"fmt"
	"net/http"
)

type revokeResponse struct {
	Revoked int `json:"revoked"` // access tokens that had not expired yet
}

// revokeAccess revokes every access token, so the next API call of every session gets
// 401 while its refresh token still works: the case authfetch exists for.
func (h *Handler) revokeAccess(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, revokeResponse{Revoked: h.state.revokeAllAccess(h.now())})
}

type modeRequest struct {
	Mode refreshMode `json:"mode"`
}

// setRefreshMode makes the refresh endpoint answer normally ("ok"), fail transiently
// ("500") or reject ("401") until the next switch.
func (h *Handler) setRefreshMode(w http.ResponseWriter, r *http.Request) {
	var req modeRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	switch req.Mode {
	case modeOK, mode500, mode401:
	default:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("mode %q: want %q, %q or %q", req.Mode, modeOK, mode500, mode401))
		return
	}
	h.state.setMode(req.Mode)
	writeJSON(w, http.StatusOK, req)
}

type statsResponse struct {
	counters
	RefreshMode refreshMode `json:"refreshMode"`
}

// stats answers the counters and the current refresh mode.
func (h *Handler) stats(w http.ResponseWriter, _ *http.Request) {
	counts, mode := h.state.snapshot()
	writeJSON(w, http.StatusOK, statsResponse{counters: counts, RefreshMode: mode})
}

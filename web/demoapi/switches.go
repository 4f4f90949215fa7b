package demoapi

import (
	"fmt"
	"net/http"
	"time"
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

// setRefreshMode makes the refresh endpoints answer normally ("ok"), fail transiently
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
	h.switches.set(func(s *settings) { s.RefreshMode = req.Mode })
	writeJSON(w, http.StatusOK, req)
}

// onOff is the body of the on/off switches: {"on": true|false}, and for DPoP "nonce".
type onOff struct {
	On    *bool `json:"on"`
	Nonce bool  `json:"nonce,omitempty"`
}

// decodeOnOff reads an on/off switch's body; "on" is required.
func decodeOnOff(w http.ResponseWriter, r *http.Request) (onOff, bool) {
	var req onOff
	err := decodeJSON(w, r, &req)
	if err == nil && req.On == nil {
		err = fmt.Errorf(`%s: want {"on": true} or {"on": false}`, r.URL.Path)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return onOff{}, false
	}
	return req, true
}

// switchGraceWindow switches the refresh tokens' grace window on (Config.GraceWindow) or
// off. It applies to tokens spent before too: their replay is judged by the window in
// force when it comes.
func (h *Handler) switchGraceWindow(w http.ResponseWriter, r *http.Request) {
	req, ok := decodeOnOff(w, r)
	if !ok {
		return
	}
	window := time.Duration(0)
	if *req.On {
		window = h.grace
	}
	h.state.tokens.SetGraceWindow(window)
	h.stats(w, r)
}

// switchRefreshCookie switches cookie mode. A session keeps the mode it logged in with only
// in so far as its client does: sessions of the other mode find no token where they
// look, and log in again.
func (h *Handler) switchRefreshCookie(w http.ResponseWriter, r *http.Request) {
	req, ok := decodeOnOff(w, r)
	if !ok {
		return
	}
	h.switches.set(func(s *settings) { s.Cookie = *req.On })
	h.stats(w, r)
}

// switchDPoP switches DPoP binding for the logins from now on, and with "nonce" the demand
// for server nonces in every proof.
func (h *Handler) switchDPoP(w http.ResponseWriter, r *http.Request) {
	req, ok := decodeOnOff(w, r)
	if !ok {
		return
	}
	h.switches.set(func(s *settings) { s.DPoP, s.DPoPNonce = *req.On, *req.On && req.Nonce })
	h.stats(w, r)
}

type delayRequest struct {
	Ms *int64 `json:"ms"`
}

// switchRefreshDelay makes the refresh endpoints spend the token on arrival and answer
// {"ms"} later, at most 5000: long enough to close a tab while its refresh is on the
// wire. 0 answers at once.
func (h *Handler) switchRefreshDelay(w http.ResponseWriter, r *http.Request) {
	var req delayRequest
	err := decodeJSON(w, r, &req)
	if err == nil && (req.Ms == nil || *req.Ms < 0 || *req.Ms > maxSlow.Milliseconds()) {
		err = fmt.Errorf(`%s: want {"ms": 0 to %d}`, r.URL.Path, maxSlow.Milliseconds())
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	h.switches.set(func(s *settings) { s.Delay = time.Duration(*req.Ms) * time.Millisecond })
	h.stats(w, r)
}

type statsResponse struct {
	counters
	settings
	GraceWindowMs  int64 `json:"graceWindowMs"`  // the grace window in force; 0 when off
	RefreshDelayMs int64 `json:"refreshDelayMs"` // how long a refresh answer is held
}

// stats answers the counters and the switches.
func (h *Handler) stats(w http.ResponseWriter, _ *http.Request) {
	set := h.switches.get()
	writeJSON(w, http.StatusOK, statsResponse{
		counters:       h.state.snapshot(),
		settings:       set,
		GraceWindowMs:  h.state.tokens.GraceWindow().Milliseconds(),
		RefreshDelayMs: set.Delay.Milliseconds(),
	})
}

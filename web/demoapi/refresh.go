package demoapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/authfetch/authfetch/server/dpop"
	"github.com/authfetch/authfetch/server/rotation"
)

// errBodyTokenInCookieMode refuses a refresh token sent in a body while the refresh
// token lives in its HttpOnly cookie: page script should never hold one, so a body that
// carries one is a client misconfigured or a token that leaked.
var errBodyTokenInCookieMode = errors.New("cookie mode: the refresh token travels only in its HttpOnly cookie, and a refresh token in the body is refused")

// refresh spends a refresh token for a new access token and a new refresh token, unless
// the demo switch says to fail. The token comes from the body, or in cookie mode from the
// refresh cookie only. A token of a family bound to a DPoP key needs a proof by that key.
// With the delay switch the token is spent at once and the answer held back.
func (h *Handler) refresh(w http.ResponseWriter, r *http.Request) {
	set := h.beginRefresh()
	switch set.RefreshMode {
	case mode500:
		writeError(w, http.StatusInternalServerError, "refresh failed: the demo switch simulates a server error")
		return
	case mode401:
		writeError(w, http.StatusUnauthorized, "refresh rejected: the demo switch simulates an invalid refresh token")
		return
	}
	presented, status, err := presentedToken(w, r, set.Cookie)
	if err != nil {
		writeError(w, status, err.Error())
		return
	}
	if err := h.refreshProof(r, presented, set); err != nil {
		dpop.WriteTokenError(w, err)
		return
	}
	rot, err := h.state.rotate(presented, h.mint)
	if err != nil {
		writeError(w, refusalStatus(err, http.StatusUnauthorized), err.Error())
		return
	}
	if !h.holdAnswer(r, set.Delay) {
		return
	}
	jkt, _ := h.state.bindingOf(presented)
	h.writeTokens(w, r, rot.Pair, jkt != "", set.Cookie)
}

// presentedToken returns the refresh token of a JSON refresh request, or the status and
// the error to answer: in cookie mode the cookie's (the body, if any, must not hold a
// token), otherwise the body's.
func presentedToken(w http.ResponseWriter, r *http.Request, cookie bool) (string, int, error) {
	var req refreshRequest
	if !cookie {
		if err := decodeJSON(w, r, &req); err != nil {
			return "", http.StatusBadRequest, err
		}
		if req.RefreshToken == "" {
			return "", http.StatusBadRequest, errors.New("missing refreshToken in the request body")
		}
		return req.RefreshToken, 0, nil
	}
	if err := decodeOptionalJSON(w, r, &req); err != nil {
		return "", http.StatusBadRequest, err
	}
	if req.RefreshToken != "" {
		return "", http.StatusBadRequest, errBodyTokenInCookieMode
	}
	token, ok := refreshCookie(r)
	if !ok {
		return "", http.StatusUnauthorized, errors.New("cookie mode: no " + refreshCookieName + " cookie: log in again")
	}
	return token, 0, nil
}

// refusalStatus is the status of a failed rotation: refused, for a refresh token that is
// not good (unknown, of a revoked family, reused), or 500 when minting the pair failed.
func refusalStatus(err error, refused int) int {
	if errors.Is(err, rotation.ErrUnknown) || errors.Is(err, rotation.ErrRevoked) || errors.Is(err, rotation.ErrReused) {
		return refused
	}
	return http.StatusInternalServerError
}

// beginRefresh counts a call of a refresh endpoint and returns the switches it runs with.
func (h *Handler) beginRefresh() settings {
	h.state.countRefreshCall()
	return h.switches.get()
}

// holdAnswer waits d before a refresh answers, and reports false when the client left
// meanwhile: the token is spent and the answer lost, as when a tab closes mid-refresh.
func (h *Handler) holdAnswer(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		h.state.countLostAnswer()
		return false
	}
}

package demoapi

import (
	"net/http"

	"github.com/authfetch/authfetch/server/dpop"
)

// oauthTokenResponse is a successful RFC 6749 §5.1 answer.
type oauthTokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
}

// oauthError is an RFC 6749 §5.2 error answer.
type oauthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

// oauthToken is the refresh grant of RFC 6749 §6 on the same token families as
// /auth/refresh-token: a form with grant_type=refresh_token and refresh_token
// (client_id is accepted and not checked). Errors follow §5.2: a bad, spent or
// revoked refresh token is invalid_grant (400); the demo switch's 500 mode is a
// server_error (500) and its 401 mode an invalid_grant. A bound family needs a DPoP
// proof as at /auth/refresh-token, and gets token_type DPoP. In cookie mode it refuses
// every request: the refresh cookie is scoped to /auth, and a form token is a token in
// a body.
func (h *Handler) oauthToken(w http.ResponseWriter, r *http.Request) {
	set := h.beginRefresh()
	switch {
	case set.RefreshMode == mode500:
		writeJSON(w, http.StatusInternalServerError, oauthError{"server_error", "the demo switch simulates a server error"})
		return
	case set.RefreshMode == mode401:
		writeJSON(w, http.StatusBadRequest, oauthError{"invalid_grant", "the demo switch simulates an invalid refresh token"})
		return
	case set.Cookie:
		writeJSON(w, http.StatusBadRequest, oauthError{"invalid_request", errBodyTokenInCookieMode.Error() + "; refresh at /auth/refresh-token"})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, oauthError{"invalid_request", err.Error()})
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "refresh_token" {
		writeJSON(w, http.StatusBadRequest, oauthError{"unsupported_grant_type", "only grant_type=refresh_token is served here, got " + gt})
		return
	}
	rt := r.PostForm.Get("refresh_token")
	if rt == "" {
		writeJSON(w, http.StatusBadRequest, oauthError{"invalid_request", "missing refresh_token"})
		return
	}
	if err := h.refreshProof(r, rt, set); err != nil {
		dpop.WriteTokenError(w, err)
		return
	}
	rot, err := h.state.rotate(rt, h.mint)
	if err != nil {
		code, status := "invalid_grant", refusalStatus(err, http.StatusBadRequest)
		if status != http.StatusBadRequest {
			code = "server_error"
		}
		writeJSON(w, status, oauthError{code, err.Error()})
		return
	}
	if !h.holdAnswer(r, set.Delay) {
		return
	}
	jkt, _ := h.state.bindingOf(rt)
	writeJSON(w, http.StatusOK, oauthTokenResponse{
		AccessToken:  rot.Pair.AccessToken,
		TokenType:    tokenType(jkt != ""),
		ExpiresIn:    h.expiresIn(rot.Pair.Expires),
		RefreshToken: rot.Pair.RefreshToken,
	})
}

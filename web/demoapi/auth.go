package demoapi

import (
	"net/http"
	"strings"
)

// demoPassword is the one password that logs in, whatever the email.
const demoPassword = "demo"

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type refreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

// tokenResponse is the answer of both login and refresh, in the shape authfetch's
// 'json' refresh format reads.
type tokenResponse struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	ExpiresIn    int    `json:"expiresIn"` // seconds
}

// login starts a new family for any non-empty email with the demo password.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	email := strings.TrimSpace(req.Email)
	if email == "" || req.Password != demoPassword {
		writeError(w, http.StatusUnauthorized, `invalid email or password (any email, password "demo")`)
		return
	}
	g := h.newGrant(email, randomToken(16))
	h.state.login(g)
	h.writeTokens(w, g)
}

// refresh spends a refresh token for a new access token and a new refresh token, unless
// the demo switch says to fail.
func (h *Handler) refresh(w http.ResponseWriter, r *http.Request) {
	switch h.state.beginRefresh() {
	case mode500:
		writeError(w, http.StatusInternalServerError, "refresh failed: the demo switch simulates a server error")
		return
	case mode401:
		writeError(w, http.StatusUnauthorized, "refresh rejected: the demo switch simulates an invalid refresh token")
		return
	}
	var req refreshRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if req.RefreshToken == "" {
		writeError(w, http.StatusBadRequest, "missing refreshToken in the request body")
		return
	}
	g, err := h.state.rotate(req.RefreshToken, h.newGrant("", ""))
	if err != nil {
		writeError(w, http.StatusUnauthorized, err.Error())
		return
	}
	h.writeTokens(w, g)
}

// writeTokens answers g's tokens.
func (h *Handler) writeTokens(w http.ResponseWriter, g grant) {
	access, err := h.signAccess(g)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, tokenResponse{
		AccessToken:  access,
		RefreshToken: g.refreshToken,
		ExpiresIn:    int(h.ttl.Seconds()),
	})
}

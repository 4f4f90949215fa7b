package demoapi

import (
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/authfetch/authfetch/server/dpop"
	"github.com/authfetch/authfetch/server/rotation"
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
// 'json' refresh format reads. In cookie mode the refresh token is in a cookie instead.
type tokenResponse struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken,omitempty"`
	ExpiresIn    int    `json:"expiresIn"` // seconds
	TokenType    string `json:"tokenType"` // "Bearer", or "DPoP" for tokens bound to a key
}

// login starts a new family for any non-empty email with the demo password. With the
// DPoP switch on it needs a proof (no ath: there is no token yet), and binds the family
// to the proof's key.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	set := h.switches.get()
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
	jkt := ""
	if set.DPoP {
		proof, err := h.proofs.verifier(set.DPoPNonce).VerifyRequest(r, "")
		if err != nil {
			dpop.WriteTokenError(w, err)
			return
		}
		jkt = proof.JKT
	}
	g := h.newGrant(email, randomToken(16), jkt)
	access, err := h.signAccess(g)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	h.state.login(g)
	h.writeTokens(w, r, rotation.Pair{AccessToken: access, RefreshToken: g.refreshToken, Expires: g.expires}, g.jkt != "", set.Cookie)
}

// logout ends the session whose refresh token the request carries, in the refresh cookie
// or as {"refreshToken"}: its family is revoked, access tokens included, and the cookie
// dropped. It answers 204 whatever it found, so that logging out twice is no error.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	token, ok := refreshCookie(r)
	if !ok {
		var req refreshRequest
		if err := decodeOptionalJSON(w, r, &req); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		token = req.RefreshToken
	}
	if token != "" {
		h.state.logout(token)
	}
	clearRefreshCookie(w, r)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// writeTokens answers pair: its refresh token in the body, or in cookie mode in the
// refresh cookie only.
func (h *Handler) writeTokens(w http.ResponseWriter, r *http.Request, pair rotation.Pair, bound, cookie bool) {
	resp := tokenResponse{AccessToken: pair.AccessToken, ExpiresIn: h.expiresIn(pair.Expires), TokenType: tokenType(bound)}
	if cookie {
		setRefreshCookie(w, r, pair.RefreshToken)
	} else {
		resp.RefreshToken = pair.RefreshToken
	}
	writeJSON(w, http.StatusOK, resp)
}

// expiresIn is the whole seconds from now to expires, rounded up: a replay within the
// grace window answers a token issued earlier, with less of its life left.
func (h *Handler) expiresIn(expires time.Time) int {
	return max(0, int(math.Ceil(expires.Sub(h.now()).Seconds())))
}

// tokenType is the token_type of RFC 6749 §5.1 for a token bound to a key or not.
func tokenType(bound bool) string {
	if bound {
		return dpop.Scheme
	}
	return "Bearer"
}

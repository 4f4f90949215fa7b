package demoapi

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/authfetch/authfetch/server/dpop"
)

// maxSlow caps the delay of GET /api/slow.
const maxSlow = 5 * time.Second

// authedHandler serves a request whose access token has been checked.
type authedHandler func(w http.ResponseWriter, r *http.Request, claims *accessClaims)

// requireToken lets a request through to next only with a valid, live access token, sent
// as its binding says (see resourceProof), and otherwise answers 401 with the
// WWW-Authenticate challenge of RFC 6750 §3 or, for DPoP, of RFC 9449 §7.1.
func (h *Handler) requireToken(next authedHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, raw, ok := accessToken(r)
		if !ok {
			challenge := "Bearer"
			if h.switches.get().DPoP {
				challenge += `, DPoP algs="ES256"`
			}
			h.deny(w, challenge, "missing access token in the Authorization header")
			return
		}
		claims, err := h.parseAccess(raw)
		if err == nil {
			err = h.state.checkAccess(claims.Family, claims.ID)
		}
		if err != nil {
			h.deny(w, scheme+` error="invalid_token"`, "invalid access token: "+err.Error())
			return
		}
		if err := h.resourceProof(r, scheme, raw, claims); err != nil {
			h.state.countAPI401()
			dpop.WriteResourceError(w, err)
			return
		}
		next(w, r, claims)
	})
}

// deny answers 401 with the challenge and counts it.
func (h *Handler) deny(w http.ResponseWriter, challenge, msg string) {
	h.state.countAPI401()
	w.Header().Set("WWW-Authenticate", challenge)
	writeError(w, http.StatusUnauthorized, msg)
}

// accessToken returns the scheme ("Bearer" or "DPoP", as spelled here) and the token of
// r's Authorization header; schemes are case-insensitive (RFC 9110 §11.1).
func accessToken(r *http.Request) (scheme, token string, ok bool) {
	scheme, token, found := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !found || token == "" {
		return "", "", false
	}
	for _, known := range []string{"Bearer", dpop.Scheme} {
		if strings.EqualFold(scheme, known) {
			return known, token, true
		}
	}
	return "", "", false
}

type user struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

// me answers the signed-in user.
func (h *Handler) me(w http.ResponseWriter, _ *http.Request, claims *accessClaims) {
	name, _, _ := strings.Cut(claims.Subject, "@")
	writeJSON(w, http.StatusOK, user{Email: claims.Subject, Name: name})
}

type item struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

type itemList struct {
	Items []item `json:"items"`
}

var demoItems = []item{
	{1, "Attach the bearer token"},
	{2, "Refresh once on 401"},
	{3, "Queue the requests that wait"},
	{4, "Retry them with the new token"},
}

// items answers a small fixed list.
func (h *Handler) items(w http.ResponseWriter, _ *http.Request, _ *accessClaims) {
	writeJSON(w, http.StatusOK, itemList{Items: demoItems})
}

type slowResponse struct {
	WaitedMs int64 `json:"waitedMs"`
}

// slow answers after the delay in ?ms=, so that a request can still be in flight while
// its token is revoked or refreshed. It gives up when the client does.
func (h *Handler) slow(w http.ResponseWriter, r *http.Request, _ *accessClaims) {
	d, err := parseDelay(r.URL.Query().Get("ms"))
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		writeJSON(w, http.StatusOK, slowResponse{WaitedMs: d.Milliseconds()})
	case <-r.Context().Done():
	}
}

// parseDelay reads the ms parameter of /api/slow: empty means no delay, more than
// maxSlow means maxSlow.
func parseDelay(ms string) (time.Duration, error) {
	if ms == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(ms, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("ms=%q: want a number of milliseconds, 0 to %d", ms, maxSlow.Milliseconds())
	}
	return time.Duration(min(n, maxSlow.Milliseconds())) * time.Millisecond, nil
}

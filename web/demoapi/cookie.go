package demoapi

import "net/http"

// refreshCookieName is the cookie that holds the refresh token in cookie mode.
const refreshCookieName = "refresh_token"

// refreshCookiePath scopes the cookie to the auth endpoints: the browser sends it to
// /auth/refresh-token and /auth/logout, and with no API request.
const refreshCookiePath = "/auth"

// setRefreshCookie answers with the refresh token in a cookie that page scripts cannot
// read (HttpOnly) and that no other site's page can make the browser send
// (SameSite=Strict). It is Secure on HTTPS; browsers keep Secure cookies from plain
// HTTP, which the demo on localhost speaks.
func setRefreshCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name:     refreshCookieName,
		Value:    token,
		Path:     refreshCookiePath,
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
		Secure:   r.TLS != nil,
	})
}

// clearRefreshCookie makes the browser drop the refresh cookie.
func clearRefreshCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name:     refreshCookieName,
		Path:     refreshCookiePath,
		MaxAge:   -1,
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
		Secure:   r.TLS != nil,
	})
}

// refreshCookie returns the refresh token of r's cookie, if any.
func refreshCookie(r *http.Request) (string, bool) {
	c, err := r.Cookie(refreshCookieName)
	if err != nil || c.Value == "" {
		return "", false
	}
	return c.Value, true
}

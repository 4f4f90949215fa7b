// Package demoapi is the demo API that the authfetch demo page talks to: a login, short-lived
// JWT access tokens, rotating refresh tokens with reuse detection, protected endpoints, and
// switches that make the refresh dance happen on demand.
//
// It exists to exercise authfetch in a browser, not as an example of how to store sessions:
// all state lives in memory and is lost when the process exits.
//
// Routes (all bodies are JSON; every error answer is {"error": "..."}):
//
//	POST /auth/login          {"email","password"} → {"accessToken","refreshToken","expiresIn"}
//	                          any non-empty email with password "demo"; otherwise 401
//	POST /auth/refresh-token  {"refreshToken"} → {"accessToken","refreshToken","expiresIn"}
//	                          rotates the refresh token; presenting a spent one revokes its
//	                          whole family (one family per login) and answers 401;
//	                          unknown or revoked → 401; bad JSON → 400
//	POST /oauth/token         form grant_type=refresh_token&refresh_token=…[&client_id=…]
//	                          → {"access_token","token_type","expires_in","refresh_token"}
//	                          (RFC 6749 §6, same token families); errors per §5.2:
//	                          invalid_grant (400) for a bad, spent or revoked token
//	GET  /api/me              the signed-in user                      (bearer token required)
//	GET  /api/items           a small list                            (bearer token required)
//	GET  /api/slow?ms=N       answers after N ms, at most 5000         (bearer token required)
//	POST /demo/revoke         revokes every live access token; refresh tokens keep working
//	POST /demo/fail-refresh   {"mode":"ok"|"500"|"401"}: refresh answers normally, fails
//	                          transiently with 500, or rejects with 401
//	GET  /demo/stats          {"logins","refreshCalls","reuseDetections","api401s","refreshMode"}
//
// A protected route answers 401 with WWW-Authenticate: Bearer error="invalid_token" when
// the access token is malformed, forged, expired or revoked, and 401 with a bare
// WWW-Authenticate: Bearer when there is none (RFC 6750 §3.1).
package demoapi

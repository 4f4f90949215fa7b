// Package demoapi is the demo API that the authfetch demo page talks to: a login, short-lived
// JWT access tokens, rotating refresh tokens with reuse detection (package rotation),
// protected endpoints, and switches that make the refresh dance happen on demand: failing
// refreshes, a grace window, a refresh whose answer comes late, the refresh token in an
// HttpOnly cookie, and tokens bound to a DPoP key (package dpop).
//
// It exists to exercise authfetch in a browser, not as an example of how to store sessions:
// all state lives in memory and is lost when the process exits.
//
// Routes (all bodies are JSON; every error answer is {"error": "..."}):
//
//	POST /auth/login          {"email","password"} → {"accessToken","refreshToken","expiresIn","tokenType"}
//	                          any non-empty email with password "demo"; otherwise 401. In
//	                          cookie mode the refresh token is set as an HttpOnly, SameSite=Strict
//	                          cookie on /auth instead of in the body; in DPoP mode the request
//	                          needs a DPoP proof and the tokens are bound to its key (cnf.jkt)
//	POST /auth/refresh-token  {"refreshToken"} → the same answer, or in cookie mode the cookie
//	                          and any body without a refreshToken → a new cookie. Rotates the
//	                          refresh token; presenting a spent one revokes its whole family
//	                          (one family per login) and answers 401, unless the grace window
//	                          is on and the token was spent less than that ago and its
//	                          successor is unused: then the same pair again. Unknown or
//	                          revoked → 401; bad JSON, or a body token in cookie mode → 400; a
//	                          family bound to a DPoP key needs a proof by that key (400
//	                          invalid_dpop_proof, use_dpop_nonce or invalid_grant)
//	POST /auth/logout         revokes the family of the refresh cookie, or of {"refreshToken"},
//	                          and drops the cookie → 204
//	POST /oauth/token         form grant_type=refresh_token&refresh_token=…[&client_id=…]
//	                          → {"access_token","token_type","expires_in","refresh_token"}
//	                          (RFC 6749 §6, same token families); errors per §5.2:
//	                          invalid_grant (400) for a bad, spent or revoked token;
//	                          invalid_request in cookie mode
//	GET  /api/me              the signed-in user                       (access token required)
//	GET  /api/items           a small list                             (access token required)
//	GET  /api/slow?ms=N       answers after N ms, at most 5000          (access token required)
//	POST /demo/revoke         revokes every live access token; refresh tokens keep working
//	POST /demo/fail-refresh   {"mode":"ok"|"500"|"401"}: refreshes answer normally, fail
//	                          transiently with 500, or reject with 401
//	POST /demo/grace          {"on":bool}: the grace window (Config.GraceWindow) on or off
//	POST /demo/refresh-delay  {"ms":0..5000}: refreshes spend the token on arrival and answer
//	                          this much later, or never if the client leaves first
//	POST /demo/refresh-cookie {"on":bool}: cookie mode on or off
//	POST /demo/dpop           {"on":bool,"nonce":bool}: bind the tokens of the logins from now
//	                          on to their proof's key, and demand server nonces in proofs
//	POST /demo/replay         {"token"} → {"status","wwwAuthenticate","error"}: what GET /api/me
//	                          answers that access token sent as Bearer without a proof, as a
//	                          thief who copied it would send it
//	GET  /demo/stats          {"logins","refreshCalls","reuseDetections","graceReplays",
//	                          "lostAnswers","api401s", and the switches: "refreshMode",
//	                          "refreshCookie","dpop","dpopNonce","graceWindowMs","refreshDelayMs"}
//	                          (each switch answers these too)
//
// A protected route answers 401 with WWW-Authenticate: Bearer error="invalid_token" when
// the access token is malformed, forged, expired or revoked, and 401 with a bare
// WWW-Authenticate: Bearer when there is none (RFC 6750 §3.1). A token bound to a DPoP
// key must come as Authorization: DPoP with a proof by that key whose ath is the token's
// hash; otherwise, sent as Bearer above all, it is refused with WWW-Authenticate: DPoP and
// RFC 9449's error code.
package demoapi

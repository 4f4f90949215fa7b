// Package rotation is the server half of rotating refresh tokens: it keeps
// every refresh token a server issued in families (one family per login),
// spends a token when it is presented for a refresh, and takes a spent token
// presented again as theft, revoking its whole family, as OAuth 2.0 for
// browser-based apps recommends.
//
// Reuse detection alone logs out users who did nothing wrong: a tab closed
// while its refresh was on the wire, or an answer lost to a dropped
// connection, spends the token at the server while the client never learns
// its successor, so the client's next refresh presents the spent token again.
// A grace window (Options.GraceWindow) covers that: a spent token presented
// again within the window of its rotation is answered with the very pair its
// rotation issued, an idempotent refresh, as long as nobody has used that
// pair's refresh token yet. After the window, or once the successor is used,
// it is reuse, and the family is revoked.
//
// The package knows tokens as opaque strings and families by id. Minting
// tokens is the caller's business: Rotate calls back to issue the pair, and
// only when a new pair is due, so a replay never mints a second successor.
// Families keeps its state in memory for its own lifetime.
package rotation

package core

import (
	"fmt"
	"strings"
)

// Format is the wire format of the refresh call.
type Format int

const (
	// FormatJSON posts {"refreshToken": rt} as JSON and expects
	// {accessToken, refreshToken?, expiresIn?}.
	FormatJSON Format = iota
	// FormatOAuth2 posts an RFC 6749 section 6 form and expects
	// {access_token, refresh_token?, expires_in?}.
	FormatOAuth2
)

// ParseFormat turns the refreshFormat option into a Format.
func ParseFormat(s string) (Format, error) {
	switch s {
	case "json":
		return FormatJSON, nil
	case "oauth2":
		return FormatOAuth2, nil
	}
	return 0, fmt.Errorf("must be 'json' or 'oauth2', got %q", s)
}

// refreshBody returns the content type and body that send refreshToken to the
// refresh endpoint. An empty refreshToken is left out: the server holds it
// (a cookie), and the body carries no token of ours.
func refreshBody(f Format, refreshToken, clientID string) (contentType, body string) {
	if f == FormatOAuth2 {
		body = "grant_type=refresh_token"
		if refreshToken != "" {
			body += "&refresh_token=" + formEscape(refreshToken)
		}
		if clientID != "" {
			body += "&client_id=" + formEscape(clientID)
		}
		return "application/x-www-form-urlencoded", body
	}
	if refreshToken == "" {
		return "application/json", "{}"
	}
	return "application/json", `{"refreshToken":` + quoteJSON(refreshToken) + `}`
}

// answerFields names the members of a successful refresh answer.
type answerFields struct{ access, refresh, expiresIn string }

func (f Format) fields() answerFields {
	if f == FormatOAuth2 {
		return answerFields{"access_token", "refresh_token", "expires_in"}
	}
	return answerFields{"accessToken", "refreshToken", "expiresIn"}
}

// formEscape escapes s for an application/x-www-form-urlencoded body, as
// net/url's QueryEscape does (space as "+"), without linking net/url.
func formEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

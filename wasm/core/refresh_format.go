package core

import (
	"fmt"
	"net/url"
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
// refresh endpoint.
func refreshBody(f Format, refreshToken, clientID string) (contentType, body string) {
	if f == FormatOAuth2 {
		body = "grant_type=refresh_token&refresh_token=" + url.QueryEscape(refreshToken)
		if clientID != "" {
			body += "&client_id=" + url.QueryEscape(clientID)
		}
		return "application/x-www-form-urlencoded", body
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

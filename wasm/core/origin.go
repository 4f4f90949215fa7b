package core

import (
	"net/url"
	"strings"
)

// Origin returns the origin of an absolute URL as the browser writes it
// (scheme://host[:port], lower case), or "" when rawURL has none. The browser
// has already dropped default ports from the URLs it hands over.
func Origin(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

// originAllowed reports whether origin is one of allowed. An empty origin
// (a URL the browser could not place) is never allowed.
func originAllowed(origin string, allowed []string) bool {
	if origin == "" {
		return false
	}
	for _, a := range allowed {
		if a == origin {
			return true
		}
	}
	return false
}

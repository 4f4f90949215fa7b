package core

import "strings"

// JoinBaseURL joins a relative URL to an explicit baseURL the way axios does:
// "https://api.example.com/v1" and "/users" give
// "https://api.example.com/v1/users" (plain URL resolution would drop "/v1").
// An absolute url, and an empty one, come back as they are joined to nothing.
func JoinBaseURL(baseURL, url string) string {
	switch {
	case url == "":
		return baseURL
	case isAbsoluteURL(url):
		return url
	}
	return strings.TrimRight(baseURL, "/") + "/" + strings.TrimLeft(url, "/")
}

// isAbsoluteURL reports what axios treats as absolute: "//" after an optional
// scheme and colon (axios' /^([a-z][a-z\d+\-.]*:)?\/\//i, without linking regexp).
func isAbsoluteURL(url string) bool {
	rest := url
	if i := strings.IndexByte(url, ':'); i > 0 && isScheme(url[:i]) {
		rest = url[i+1:]
	}
	return strings.HasPrefix(rest, "//")
}

// isScheme reports whether s is a URL scheme: a letter, then letters, digits,
// "+", "-" or ".".
func isScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := 'a' <= c|0x20 && c|0x20 <= 'z'
		if !letter && (i == 0 || !('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}

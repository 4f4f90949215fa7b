package core

import "strings"

// Origin returns the origin of an absolute URL as the browser writes it
// (scheme://host[:port], lower case, without a default port), or "" when
// rawURL has none: not absolute, not hierarchical (mailto:), or a host with
// characters no host has. It parses by hand rather than link net/url into the
// module.
func Origin(rawURL string) string {
	i := strings.Index(rawURL, "://")
	if i <= 0 || !isScheme(rawURL[:i]) {
		return ""
	}
	scheme, host := strings.ToLower(rawURL[:i]), rawURL[i+3:]
	if j := strings.IndexAny(host, "/?#"); j >= 0 {
		host = host[:j]
	}
	if j := strings.LastIndexByte(host, '@'); j >= 0 {
		host = host[j+1:]
	}
	host = strings.TrimSuffix(strings.ToLower(host), ":")
	if !isHost(host) {
		return ""
	}
	if port, ok := defaultPorts[scheme]; ok {
		host = strings.TrimSuffix(host, port)
	}
	return scheme + "://" + host
}

// defaultPorts are the ports the browser leaves out of an origin.
var defaultPorts = map[string]string{"http": ":80", "https": ":443", "ws": ":80", "wss": ":443"}

// isHost reports whether s looks like host[:port]: a name, an IPv4 address or
// a bracketed IPv6 address, and a numeric port.
func isHost(s string) bool {
	name, port := s, ""
	if i := strings.LastIndexByte(s, ':'); i >= 0 && !strings.HasSuffix(s, "]") {
		name, port = s[:i], s[i+1:]
	}
	if name == "" || strings.Trim(port, "0123456789") != "" {
		return false
	}
	if strings.HasPrefix(name, "[") {
		inner := strings.TrimSuffix(name[1:], "]")
		return len(inner) == len(name)-2 && strings.Contains(inner, ":") && strings.Trim(inner, "0123456789abcdef:.") == ""
	}
	return strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789-._") == ""
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

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
	name := s
	if i := strings.LastIndexByte(s, ':'); i >= 0 && !strings.HasSuffix(s, "]") {
		port := s[i+1:]
		if port == "" || strings.Trim(port, "0123456789") != "" {
			return false
		}
		name = s[:i]
	}
	switch {
	case name == "":
		return false
	case strings.HasPrefix(name, "[") && strings.HasSuffix(name, "]"):
		return isIPv6(name[1 : len(name)-1])
	}
	return strings.Trim(name, "abcdefghijklmnopqrstuvwxyz0123456789-._") == ""
}

// isIPv6 reports whether s is an IPv6 address in text form: eight groups of
// one to four hex digits, or fewer around one "::", the last two groups
// perhaps written as an IPv4 address. (net/netip knows, but would link
// net/netip into the module.)
func isIPv6(s string) bool {
	head, tail, compressed := strings.Cut(s, "::")
	if strings.Contains(tail, "::") {
		return false
	}
	groups := 0
	for i, part := range []string{head, tail} {
		if part == "" {
			continue
		}
		fields := strings.Split(part, ":")
		for j, f := range fields {
			last := i == 1 || !compressed
			if last && j == len(fields)-1 && strings.Contains(f, ".") {
				if !isIPv4(f) {
					return false
				}
				groups += 2
				continue
			}
			if len(f) < 1 || len(f) > 4 || strings.Trim(f, "0123456789abcdef") != "" {
				return false
			}
			groups++
		}
	}
	if compressed {
		return groups < 8
	}
	return groups == 8
}

// isIPv4 reports whether s is four dot-separated decimal numbers up to 255.
func isIPv4(s string) bool {
	fields := strings.Split(s, ".")
	if len(fields) != 4 {
		return false
	}
	for _, f := range fields {
		if len(f) < 1 || len(f) > 3 || strings.Trim(f, "0123456789") != "" || len(f) == 3 && f > "255" {
			return false
		}
	}
	return true
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

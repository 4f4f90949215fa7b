package core

import (
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOrigin(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://example.com/path?q=1#f", "https://example.com"},
		{"https://example.com", "https://example.com"},
		{"HTTPS://EXAMPLE.COM/", "https://example.com"},
		{"https://Api.Example.com:8443/x", "https://api.example.com:8443"},
		{"http://localhost:8080/api", "http://localhost:8080"},
		{"http://127.0.0.1:0/", "http://127.0.0.1:0"},
		{"http://[::1]:8080/", "http://[::1]:8080"},
		{"http://user:pw@example.com/", "http://example.com"},
		// Default ports are dropped, as the browser's URL.origin drops them.
		{"https://example.com:443/", "https://example.com"},
		{"http://example.com:80/", "http://example.com"},
		{"http://example.com:443/", "http://example.com:443"},
		{"https://example.com:80/", "https://example.com:80"},
		{"http://example.com:/", "http://example.com"},
		{"http://example.com:8o/", ""},
		{"http://[::1/", ""},
		{"http://[::ffff:10.0.0.1]:81/", "http://[::ffff:10.0.0.1]:81"},
		{"http://[1:2:3:4:5:6:7:8]/", "http://[1:2:3:4:5:6:7:8]"},
		{"http://[0:]/", ""},
		{"http://[:]/", ""},
		{"http://[1::2::3]/", ""},
		{"http://[::]::/", ""},
		{"http://[::1]::80/", ""},
		// No origin.
		{"", ""},
		{"/api/me", ""},
		{"api/me", ""},
		{"example.com/api", ""},
		{"//example.com/api", ""},
		{"http://", ""},
		{"http:///path", ""},
		{"mailto:someone@example.com", ""},
		{"javascript:alert(1)", ""},
		{"file:///etc/passwd", ""},
		{"::garbage", ""},
		{"http://exa mple.com/", ""},
		{"http://%zz/", ""},
		{"\x00http://example.com", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, Origin(tt.in))
		})
	}
}

func TestOriginAllowed(t *testing.T) {
	allowed := []string{"https://app.example.com", "http://localhost:8080"}
	tests := []struct {
		origin string
		want   bool
	}{
		{"https://app.example.com", true},
		{"http://localhost:8080", true},
		{"http://app.example.com", false},
		{"https://app.example.com:8443", false},
		{"https://evil.app.example.com", false},
		{"https://app.example.com.evil.net", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.origin, func(t *testing.T) {
			assert.Equal(t, tt.want, originAllowed(tt.origin, allowed))
		})
	}
	assert.False(t, originAllowed("", []string{""}), "an empty origin is never allowed")
	assert.False(t, originAllowed("https://app.example.com", nil))
}

func FuzzOrigin(f *testing.F) {
	for _, s := range []string{"https://example.com/x", "HTTP://A.B:80/", "https://a:443", "http://[::1]:8080", "/rel", "mailto:x", "http://%zz", "http://u:p@h/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		o := Origin(raw)
		if o == "" {
			return
		}
		u, err := url.Parse(o)
		if err != nil {
			t.Fatalf("Origin(%q) = %q, which does not parse: %v", raw, o, err)
		}
		if o != strings.ToLower(o) {
			t.Fatalf("Origin(%q) = %q, not lower case", raw, o)
		}
		if u.Scheme == "" || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			t.Fatalf("Origin(%q) = %q, not scheme://host[:port]", raw, o)
		}
		if !strings.HasPrefix(o, u.Scheme+"://") {
			t.Fatalf("Origin(%q) = %q", raw, o)
		}
		if Origin(o+"/some/path?q#f") != o {
			t.Fatalf("Origin(%q) = %q, but Origin(%q) = %q", raw, o, o+"/some/path?q#f", Origin(o+"/some/path?q#f"))
		}
	})
}

// FuzzOriginOfSerializedURL builds URLs the way the browser serializes them
// (Request.url, new URL().href: lower-case host, userinfo and path
// percent-encoded) and checks that Origin finds the host the browser would
// send the request to, never one smuggled in the userinfo, path, query or
// fragment (http://good@evil/ goes to evil; http://evil/@good to evil).
func FuzzOriginOfSerializedURL(f *testing.F) {
	f.Add(true, "", "", "api.example.com", uint16(0), "/v1/me", "a=1", "")
	f.Add(false, "user", "p@ss:word", "127.0.0.1", uint16(8080), "/@evil.example", "@evil", "@evil")
	f.Add(true, "good.example", "", "evil.example", uint16(443), "/", "", "")
	f.Add(false, "", "", "[::1]", uint16(80), "/x:1@y", "x=http://good/", "http://good/")
	f.Fuzz(func(t *testing.T, https bool, user, pass, host string, port uint16, path, query, fragment string) {
		host = strings.ToLower(host)
		if !hostLike.MatchString(host) {
			t.Skip()
		}
		if ip, ok := strings.CutPrefix(host, "["); ok {
			if _, err := netip.ParseAddr(strings.TrimSuffix(ip, "]")); err != nil {
				t.Skip() // "[:]" is no IPv6 address: the browser refuses the URL
			}
		}
		scheme, defPort := "http", uint16(80)
		if https {
			scheme, defPort = "https", 443
		}
		u := url.URL{Scheme: scheme, Host: host, Path: "/" + strings.TrimLeft(path, "/"), RawQuery: url.PathEscape(query), Fragment: fragment}
		want := scheme + "://" + host
		if port != 0 && port != defPort {
			u.Host += fmt.Sprint(":", port)
			want += fmt.Sprint(":", port)
		}
		if user != "" || pass != "" {
			u.User = url.UserPassword(user, pass)
		}
		href := u.String()
		if got := Origin(href); got != want {
			t.Fatalf("Origin(%q) = %q, the browser sends it to %q", href, got, want)
		}
		if !originAllowed(Origin(href), []string{want}) {
			t.Fatalf("%q is not allowed by its own origin %q", href, want)
		}
	})
}

// hostLike is a host as the browser serializes it: a lower-case name or IPv4
// address, or a bracketed IPv6 address (which has a colon: "[0]" is none).
var hostLike = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$|^\[[0-9a-f.]*:[0-9a-f:.]*\]$`)

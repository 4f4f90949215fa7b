package dpop

import "testing"

func TestNormalizeHTU(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://api.example.com/api/me", "https://api.example.com/api/me"},
		{"HTTPS://API.EXAMPLE.COM/api/me", "https://api.example.com/api/me"},
		{"https://api.example.com/API/me", "https://api.example.com/API/me"}, // the path keeps its case
		{"https://api.example.com:443/x", "https://api.example.com/x"},
		{"http://api.example.com:80/x", "http://api.example.com/x"},
		{"http://api.example.com:443/x", "http://api.example.com:443/x"},
		{"https://api.example.com:80/x", "https://api.example.com:80/x"},
		{"https://api.example.com:08443/x", "https://api.example.com:8443/x"},
		{"https://api.example.com:/x", "https://api.example.com/x"},
		{"https://api.example.com", "https://api.example.com/"},
		{"https://api.example.com?q#f", "https://api.example.com/"},
		{"https://api.example.com/x?q=1&r=2#frag", "https://api.example.com/x"},
		{"https://user:pass@api.example.com/x", "https://api.example.com/x"},
		{"https://[::1]:8443/x", "https://[::1]:8443/x"},
		{"https://[::1]:443/x", "https://[::1]/x"},
		{"https://[::1]/x", "https://[::1]/x"},
		{"https://api.example.com/%7euser/%2fa%2Fb", "https://api.example.com/~user/%2Fa%2Fb"},
		{"https://api.example.com/caf%c3%a9", "https://api.example.com/caf%C3%A9"},
		{"https://api.example.com/café", "https://api.example.com/caf%C3%A9"},
		{"https://api.example.com/a%20b", "https://api.example.com/a%20b"},
		{"https://api.example.com/a/./b/../c", "https://api.example.com/a/c"},
		{"https://api.example.com/a/b/..", "https://api.example.com/a/"},
		{"https://api.example.com/a/.", "https://api.example.com/a/"},
		{"https://api.example.com/../../x", "https://api.example.com/x"},
		{"https://api.example.com/a/%2E%2E/x", "https://api.example.com/x"},
		{"https://api.example.com/a..b/.c", "https://api.example.com/a..b/.c"},
		{"https://api.example.com/a//b", "https://api.example.com/a//b"},
	} {
		got, err := normalizeHTU(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("normalizeHTU(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestNormalizeHTURefuses(t *testing.T) {
	for _, in := range []string{
		"",
		"/api/me",
		"api.example.com/api/me",
		"ftp://api.example.com/x",
		"https:api.example.com",
		"https:///x",
		"https://api.example.com:99999/x",
		"https://api.example.com:x/x",
		"https://api.example.com/%zz",
		"https://api.example.com/x\n",
	} {
		if got, err := normalizeHTU(in); err == nil {
			t.Errorf("normalizeHTU(%q) = %q, want an error", in, got)
		}
	}
}

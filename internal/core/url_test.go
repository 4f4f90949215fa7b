package core

import (
	"regexp"
	"strings"
	"testing"
)

// axiosAbsolute is axios' isAbsoluteURL, /^([a-z][a-z\d+\-.]*:)?\/\//i,
// spelled with ASCII classes: Go's (?i) would also fold U+212A (Kelvin) into
// k, which JS's non-unicode /i does not.
var axiosAbsolute = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9+\-.]*:)?//`)

// axiosCombine is axios' combineURLs (lib/helpers/combineURLs.js): every
// trailing slash of the base removed, every leading slash of the relative URL.
func axiosCombine(base, rel string) string {
	if rel == "" {
		return base
	}
	return strings.TrimRight(base, "/") + "/" + strings.TrimLeft(rel, "/")
}

// FuzzJoinBaseURL checks JoinBaseURL against axios' buildFullPath:
// combineURLs(baseURL, url) unless url is absolute.
func FuzzJoinBaseURL(f *testing.F) {
	for _, c := range [][2]string{
		{"https://api.example.com/v1", "/users"},
		{"https://api.example.com/v1/", "users"},
		{"https://api.example.com/v1//", "//cdn.example.com/x"},
		{"/v1", "/me"},
		{"https://a", ""},
		{"https://a", "https://b/c"},
		{"https://a", "HTTP+X-1.Y://b"},
		{"https://a", "1http://b"},
		{"https://a", "mailto:x@y"},
		{"https://a", "://x"},
		{"https://a", ":x"},
		{"", "///"},
		{"https://a", "\u212a://b"},
	} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, base, rel string) {
		got := JoinBaseURL(base, rel)
		if abs := axiosAbsolute.MatchString(rel); abs != isAbsoluteURL(rel) {
			t.Fatalf("isAbsoluteURL(%q) = %v, axios says %v", rel, !abs, abs)
		}
		want := axiosCombine(base, rel)
		if axiosAbsolute.MatchString(rel) {
			want = rel
		}
		if got != want {
			t.Fatalf("JoinBaseURL(%q, %q) = %q, axios gives %q", base, rel, got, want)
		}
	})
}

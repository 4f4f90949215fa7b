package core

import (
	"strconv"
	"strings"
)

// ParseJSON parses text as a JSON object. It returns the object's members
// (strings as string, numbers as float64, booleans as bool, anything else as
// nil or a value the caller ignores) and false when text is not a JSON object.
//
// It is a seam rather than encoding/json because the WebAssembly module uses
// the browser's JSON.parse: linking encoding/json would add 0.6 MB to it.
type ParseJSON func(text string) (map[string]any, bool)

// quoteJSON returns s as a JSON string literal. Invalid UTF-8 becomes U+FFFD
// (ranging over a string does that).
func quoteJSON(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteString(strconv.FormatInt(int64(r)>>4, 16))
			b.WriteString(strconv.FormatInt(int64(r)&0xf, 16))
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// stringField returns obj[key] when it is a non-empty string.
func stringField(obj map[string]any, key string) string {
	s, _ := obj[key].(string)
	return s
}

// secondsField returns obj[key] as seconds when it is a positive number or a
// string holding one (some OAuth2 servers send "3600").
func secondsField(obj map[string]any, key string) (float64, bool) {
	switch v := obj[key].(type) {
	case float64:
		return v, v > 0
	case string:
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil && f > 0
	}
	return 0, false
}

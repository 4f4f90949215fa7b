package dpop

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
)

// A proof is read member by member rather than with json.Unmarshal into a
// struct, because that matches names case-insensitively ("ALG" fills alg) and
// keeps the last of duplicate names silently: two parsers could then read two
// different proofs out of the same bytes. Here a name means exactly itself, and
// a name that appears twice makes the object invalid.

// object is a JSON object's members by exact name.
type object map[string]json.RawMessage

// parseObject reads data as one JSON object with unique member names.
func parseObject(data []byte) (object, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	obj := object{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string) // inside an object, a token here is always a name
		if _, dup := obj[name]; dup {
			return nil, fmt.Errorf("member %q appears twice", name)
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, err
		}
		obj[name] = value
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON object")
	}
	return obj, nil
}

// has reports whether the object has a member called name, whatever its value.
func (o object) has(name string) bool {
	_, ok := o[name]
	return ok
}

// string returns the member name, which must be a JSON string when present;
// ok is false when the member is absent.
func (o object) string(name string) (s string, ok bool, err error) {
	raw, ok := o[name]
	if !ok {
		return "", false, nil
	}
	if len(raw) == 0 || raw[0] != '"' {
		return "", true, fmt.Errorf("%s is not a string", name)
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", true, fmt.Errorf("%s: %v", name, err)
	}
	return s, true, nil
}

// requiredString returns the member name, which must be a non-empty string.
func (o object) requiredString(name string) (string, error) {
	s, ok, err := o.string(name)
	if err != nil {
		return "", err
	}
	if !ok || s == "" {
		return "", fmt.Errorf("%s is missing", name)
	}
	return s, nil
}

// maxNumericDate bounds the seconds of a NumericDate: the year 5138 is far past
// any window and keeps the conversion to time.Time exact.
const maxNumericDate = 1e11

// numericDate returns the member name as a JWT NumericDate (RFC 7519 §2):
// seconds since the epoch as a JSON number, which may have a fraction.
func (o object) numericDate(name string) (time.Time, error) {
	raw, ok := o[name]
	if !ok {
		return time.Time{}, fmt.Errorf("%s is missing", name)
	}
	// A JSON number starts with a digit or a minus sign; strconv alone would
	// also take "Inf", and json.Number would take a quoted string.
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		return time.Time{}, fmt.Errorf("%s is not a number", name)
	}
	sec, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || sec < 0 || sec > maxNumericDate {
		return time.Time{}, fmt.Errorf("%s is not a date: %s", name, quote(string(raw)))
	}
	whole, frac := math.Modf(sec)
	return time.Unix(int64(whole), int64(frac*1e9)).UTC(), nil
}

// quote returns s quoted for an error message, cut to 80 bytes: reasons hold
// values a client chose and end up in logs.
func quote(s string) string {
	const max = 80
	if len(s) > max {
		return strconv.Quote(s[:max]) + "…"
	}
	return strconv.Quote(s)
}

//go:build js && wasm

package jsutil

import (
	"errors"
	"fmt"
	"syscall/js"
)

// JSError is a JS value thrown or rejected by the browser (a TypeError from
// fetch, an AbortError, a signal's reason). It travels through Go untouched so
// that a Promise rejects with exactly what JS rejected with.
type JSError struct {
	Value js.Value
}

func (e *JSError) Error() string {
	if e.Value.Type() == js.TypeObject && e.Value.Get("message").Type() == js.TypeString {
		return e.Value.Get("name").String() + ": " + e.Value.Get("message").String()
	}
	return "authfetch: JS threw " + jsString.Invoke(e.Value).String()
}

// jsString is String(), which describes any value; a primitive thrown (a
// string given to abort(), say) has no methods of its own to call.
var jsString = Global.Get("String")

// ToJS returns the value to reject a Promise with: the JS value inside a
// JSError, otherwise a new Error carrying err's message.
func ToJS(err error) js.Value {
	var je *JSError
	if errors.As(err, &je) {
		return je.Value
	}
	return Error.New(err.Error())
}

// Catch runs fn and turns a panic into an error: a js.Error (JS threw) into a
// JSError, anything else into an error that names it. Nothing that goes wrong
// in Go reaches JS as a crashed module.
func Catch(fn func() error) (err error) {
	defer func() {
		switch p := recover().(type) {
		case nil:
		case js.Error:
			err = &JSError{Value: p.Value}
		case error:
			err = fmt.Errorf("authfetch: internal error: %w", p)
		default:
			err = fmt.Errorf("authfetch: internal error: %v", p)
		}
	}()
	return fn()
}

// ErrorText describes a DOMException or other thrown value.
func ErrorText(v js.Value) string {
	if v.Type() != js.TypeObject {
		return "unknown error"
	}
	return (&JSError{Value: v}).Error()
}

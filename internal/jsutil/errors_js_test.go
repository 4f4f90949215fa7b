//go:build js && wasm

package jsutil

import (
	"errors"
	"syscall/js"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What goes wrong on either side reaches the other as itself: a JS throw
// becomes a JSError that keeps the thrown value, a Go panic an error that
// names it, and a Go error a JS Error with its message.
func TestCatchTurnsPanicsIntoErrors(t *testing.T) {
	tests := []struct {
		name     string
		fn       func() error
		wantJS   string // the name of the JS error kept, or "" for a Go error
		wantText string
	}{
		{"a JS throw", func() error { Reflect.Call("get", js.Null(), "x"); return nil }, "TypeError", "TypeError: "},
		{"a Go panic with an error", func() error { panic(errors.New("boom")) }, "", "authfetch: internal error: boom"},
		{"a Go panic with a value", func() error { panic(42) }, "", "authfetch: internal error: 42"},
		{"an error returned", func() error { return errors.New("plain") }, "", "plain"},
		{"nothing wrong", func() error { return nil }, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Catch(tt.fn)
			if tt.wantText == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantText)
			var je *JSError
			if tt.wantJS == "" {
				assert.False(t, errors.As(err, &je), "a Go error is not a JSError")
				return
			}
			require.ErrorAs(t, err, &je)
			assert.Equal(t, tt.wantJS, je.Value.Get("name").String())
		})
	}
}

func TestToJSKeepsWhatJSThrewAndWrapsTheRest(t *testing.T) {
	thrown := Error.New("from the page")
	assert.True(t, ToJS(&JSError{Value: thrown}).Equal(thrown), "the very value JS threw")

	v := ToJS(errors.New("authfetch: bad option"))
	assert.True(t, v.InstanceOf(Error))
	assert.Equal(t, "authfetch: bad option", v.Get("message").String())

	notAnError := &JSError{Value: js.ValueOf("a string")}
	assert.Equal(t, "authfetch: JS threw a string", notAnError.Error())
	assert.Equal(t, "unknown error", ErrorText(js.Undefined()))
}

// Async settles its Promise once with work's result or error, a panic
// included; Await reads it back and leaves no js.Func behind.
func TestAsyncAndAwaitRoundTrip(t *testing.T) {
	before := LiveFuncs()
	v, err := Await(Async(func() (js.Value, error) { return js.ValueOf(7), nil }))
	require.NoError(t, err)
	assert.Equal(t, 7, v.Int())

	_, err = Await(Async(func() (js.Value, error) { return js.Value{}, errors.New("failed") }))
	var je *JSError
	require.ErrorAs(t, err, &je)
	assert.Equal(t, "failed", je.Value.Get("message").String())

	_, err = Await(Async(func() (js.Value, error) { panic("oops") }))
	require.ErrorAs(t, err, &je)
	assert.Equal(t, "authfetch: internal error: oops", je.Value.Get("message").String())

	_, err = Await(Rejected(errors.New("at once")))
	require.ErrorAs(t, err, &je)
	assert.Equal(t, before, LiveFuncs(), "every js.Func made was released")
}

func TestArgIsUndefinedPastTheEnd(t *testing.T) {
	args := []js.Value{js.ValueOf(1)}
	assert.Equal(t, 1, Arg(args, 0).Int())
	assert.True(t, Arg(args, 1).IsUndefined())
}

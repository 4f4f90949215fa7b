//go:build js && wasm

package bridge

import (
	"context"
	"syscall/js"

	"github.com/authfetch/authfetch/internal/jsutil"
)

// watchSignal returns a context that is cancelled, with the signal's reason as
// its cause, when signal aborts: a request waiting for a refresh then rejects
// as fetch would. stop removes the listener and releases its js.Func.
func watchSignal(signal js.Value) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	if signal.Get("aborted").Bool() {
		cancel(&jsutil.JSError{Value: signal.Get("reason")})
		return ctx, func() {}
	}
	onAbort := jsutil.FuncOf(func(js.Value, []js.Value) any {
		cancel(&jsutil.JSError{Value: signal.Get("reason")})
		return nil
	})
	signal.Call("addEventListener", "abort", onAbort)
	return ctx, func() {
		signal.Call("removeEventListener", "abort", onAbort)
		jsutil.Release(onAbort)
		cancel(nil)
	}
}

//go:build js && wasm

package jsutil

import "syscall/js"

// Async runs work in a goroutine and returns a Promise that settles with
// its result, exactly once. A panic in work rejects the Promise. The function
// that calls it returns at once, as a js.Func must: one that blocks
// deadlocks the event loop.
func Async(work func() (js.Value, error)) js.Value {
	r := Promise.Call("withResolvers")
	go func() {
		var v js.Value
		err := Catch(func() (err error) {
			v, err = work()
			return err
		})
		if err != nil {
			r.Get("reject").Invoke(ToJS(err))
			return
		}
		r.Get("resolve").Invoke(v)
	}()
	return r.Get("promise")
}

// Rejected returns a Promise already rejected with err.
func Rejected(err error) js.Value {
	return Promise.Call("reject", ToJS(err))
}

// Await blocks the calling goroutine until p settles. It must not run on a
// js.Func's own goroutine. Both callbacks are released whichever fires.
func Await(p js.Value) (js.Value, error) {
	type settled struct {
		value js.Value
		err   error
	}
	ch := make(chan settled, 1)
	var onFulfilled, onRejected js.Func
	releaseBoth := func() {
		Release(onFulfilled)
		Release(onRejected)
	}
	onFulfilled = FuncOf(func(_ js.Value, args []js.Value) any {
		releaseBoth()
		ch <- settled{value: Arg(args, 0)}
		return nil
	})
	onRejected = FuncOf(func(_ js.Value, args []js.Value) any {
		releaseBoth()
		ch <- settled{err: &JSError{Value: Arg(args, 0)}}
		return nil
	})
	p.Call("then", onFulfilled, onRejected)
	s := <-ch
	return s.value, s.err
}

// Arg returns args[i], or undefined when the caller passed fewer.
func Arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}

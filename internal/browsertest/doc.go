//go:build !js

// Package browsertest is the one harness of authfetch's browser tests, the
// chaos soak and the bench: it builds the module once per process
// (BuildModule, Harness), serves it with the loader (ModuleFiles), starts
// headless Chromium and drives its tabs (Browser, Tab, Eval), and offers one
// scriptable fake of the application's token API (FakeAPI) and a second
// origin (OtherOrigin), on 127.0.0.1 only.
//
// The fake rotates refresh tokens with reuse detection, the token families
// of package rotation (without a grace window) that the demo API uses too. A test scripts its
// answers (AnswerRefresh), holds them (HoldRefreshes, HoldNext), waits on
// what arrived (Arrived) and reads what happened (Requests, RefreshCalls,
// Session); the soak makes it answer at random (Chaos); the bench counts
// calls and keeps every token good (Config.KeepOldTokens).
//
// It, and the e2e, soak and bench packages that use it, are tagged !js:
// they drive a browser from the host, and chromedp does not build for
// js/wasm, so GOOS=js GOARCH=wasm go vet ./... passes over them.
package browsertest

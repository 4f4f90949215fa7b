//go:build !js

package main

import (
	_ "embed" // the tab mode's page script
	"fmt"
)

// tabPageJS (tabpage.js) is the tab mode's page script. It runs once per
// page life, after commonJS. Before the module loads it wraps fetch: it
// names each refresh call with an X-Soak-Call header (tab.life.n), so that
// the server's record of the call says which page life made it even when
// that life ended before the answer came, and it checks, at each send,
// that a request's token is not older than the one the storage holds. Then
// it creates two clients of the default session (localStorage, so shared
// with the other tabs) and defines soak.runRound, soak.login, soak.logout,
// soak.memory and soak.snapshot.
//
//go:embed tabpage.js
var tabPageJS string

// lifeScript is the script that starts page life life of tab n: perLife
// caps the requests it may start, inflight how many it keeps unsettled;
// with courier its clients send their refreshes through the refresh
// courier.
func lifeScript(n, life int, b string, seed uint64, perLife, inflight int, courier bool) string {
	return fmt.Sprintf("const TAB = %d, LIFE = %d, B = %q, SEED = %d, CAP = %d, INFLIGHT = %d, COURIER = %t;\n%s\n%s",
		n, life, b, seed, perLife, inflight, courier, commonJS, tabPageJS)
}

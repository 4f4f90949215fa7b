//go:build !js

package main

import _ "embed" // the page scripts

// commonJS (common.js) is what both modes' page scripts share, and runs
// before either: the seeded choices, the kinds of request and how each is
// sent and recorded, the hook into Go's wasm_exec.js class, and how the
// module's memory is read once no Web Lock is held.
//
//go:embed common.js
var commonJS string

// pageJS (page.js) is the single mode's page script. It runs once in the
// page, with B (origin B's URL), SEED and REQUESTS defined before it. Before
// the module loads, it wraps the page's fetch (the module looks fetch up
// once, when it starts, so every request and refresh it sends goes through
// the wrapper) and Go's wasm_exec.js class (to read the module's memory and
// its table of JS values). Then it logs the sessions in, creates the clients
// and defines soak.round.
//
// The wrapper checks, at the moment of each send, that the token a request
// carries is the one its session's storage holds: a request sent with a
// token that a refresh has already replaced is "stale", since authfetch
// should have waited for that refresh. It also counts the refresh calls of
// each session in flight at once, and checks that a refresh carries no
// Authorization.
//
//go:embed page.js
var pageJS string

// The instant fetch of the engine-overhead workload: installed in place of
// globalThis.fetch before any contender loads, it answers every request to
// /api/ at once with a fresh 200 (no network, no body read by anyone), and
// hands everything else (the module, the refresh) to the browser's fetch.
// What a contender's fetch then costs beyond calling the stub directly is
// its own work on the main thread.

const BODY = '{"ok":true}'
const INIT = { status: 200, headers: { 'Content-Type': 'application/json' } }

export function install() {
  const real = globalThis.fetch
  globalThis.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof Request ? input.url : String(input)
    return url.includes('/api/') ? Promise.resolve(new Response(BODY, INIT)) : real(input, init)
  }
}

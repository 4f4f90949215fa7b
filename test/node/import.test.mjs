// authfetch and authfetch/vue imported in Node, as under server-side
// rendering or a DOM-less test runner: nothing starts, nothing throws,
// every call that needs the browser rejects with 'unsupported', no
// rejection is left unhandled, and the process exits on its own.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runScript } from './child.mjs'

/** Script lines shared by the cases: fetch counted, why(p) says how p settled. */
const prelude = `
let fetched = 0
globalThis.fetch = () => { fetched++; return Promise.reject(new TypeError('no network in this test')) }
const why = async (p) => {
  try { await p; return 'resolved' } catch (err) { return err?.name === 'AuthFetchError' ? err.code : String(err) }
}
`

const cases = [
  {
    name: 'importing authfetch and authfetch/vue starts nothing and adds no global',
    script: `
      await import('vue')
      const before = new Set(Reflect.ownKeys(globalThis))
      const main = await import('authfetch')
      const vue = await import('authfetch/vue')
      console.log(JSON.stringify({
        fetched,
        added: Reflect.ownKeys(globalThis).filter((k) => !before.has(k)).map(String),
        main: Object.keys(main).sort(),
        vue: Object.keys(vue).sort(),
      }))`,
    want: {
      fetched: 0,
      added: [],
      main: ['AuthFetch', 'AuthFetchError', 'createAuthFetch', 'moduleStats'],
      vue: ['authFetchKey', 'authFetchPlugin', 'authFetchReady', 'useAuthFetch'],
    },
  },
  {
    name: 'a client rejects ready, fetch, refresh and getValidAccessToken with unsupported, and fetches nothing',
    script: `
      const { AuthFetch, AuthFetchError, createAuthFetch, moduleStats } = await import('authfetch')
      const api = new AuthFetch({ refreshURL: '/auth/refresh-token' })
      const ready = await api.ready.catch((err) => err)
      console.log(JSON.stringify({
        ready: await why(api.ready),
        isAuthFetchError: ready instanceof AuthFetchError && ready instanceof Error,
        message: ready.message,
        fetch: await why(api.fetch('/api/me')),
        refresh: await why(api.refresh()),
        getValidAccessToken: await why(api.getValidAccessToken()),
        createAuthFetch: await why(createAuthFetch()),
        getAccessToken: api.getAccessToken(),
        stats: api.stats(),
        moduleStats: await moduleStats(),
        fetched,
        go: 'Go' in globalThis,
      }))`,
    want: {
      ready: 'unsupported',
      isAuthFetchError: true,
      message: 'authfetch: globalThis.location is missing: authfetch runs in a browser; under server-side rendering or in Node a client does nothing and rejects',
      fetch: 'unsupported',
      refresh: 'unsupported',
      getValidAccessToken: 'unsupported',
      createAuthFetch: 'unsupported',
      getAccessToken: null,
      stats: { requests: 0, retries: 0, refreshes: 0, adoptions: 0, refreshErrors: 0, authFailures: 0 },
      moduleStats: null,
      fetched: 0,
      go: false,
    },
  },
  {
    name: 'clients whose ready nothing awaits leave no rejection unhandled',
    script: `
      const { AuthFetch } = await import('authfetch')
      const { authFetchPlugin } = await import('authfetch/vue')
      const { createSSRApp } = await import('vue')
      new AuthFetch()
      new AuthFetch({ refreshUrl: '/a-typo' })
      new AuthFetch({ wasmModule: 'not a module' })
      new AuthFetch().close()
      createSSRApp({ render: () => null }).use(authFetchPlugin)
      await new Promise((resolve) => setTimeout(resolve, 50))
      console.log(JSON.stringify({ fetched }))`,
    want: { fetched: 0 },
  },
  {
    name: 'without a browser even a bad option rejects as unsupported: the browser is where options are checked',
    script: `
      const { AuthFetch } = await import('authfetch')
      const codes = {}
      for (const [name, options] of Object.entries({
        typo: { refreshUrl: '/x' },
        type: { refreshURL: 42 },
        wasmModule: { wasmModule: new Uint8Array(8) },
        notAnObject: 'local',
      })) codes[name] = await why(new AuthFetch(options).ready)
      console.log(JSON.stringify(codes))`,
    want: { typo: 'unsupported', type: 'unsupported', wasmModule: 'unsupported', notAnObject: 'unsupported' },
  },
  {
    name: 'setTokens after the failed start throws its error; close makes every call closed',
    script: `
      const { AuthFetch } = await import('authfetch')
      const failed = new AuthFetch()
      await failed.ready.catch(() => {})
      const thrown = (fn) => { try { fn(); return 'returned' } catch (err) { return err.code ?? err.message } }
      const closed = new AuthFetch()
      closed.close()
      console.log(JSON.stringify({
        setTokens: thrown(() => failed.setTokens({ accessToken: 'a' })),
        clearTokens: thrown(() => failed.clearTokens()),
        badTokens: thrown(() => failed.setTokens({ accessToken: 1 })),
        closedFetch: await why(closed.fetch('/x')),
        closedReady: await why(closed.ready),
        closedToken: thrown(() => closed.getAccessToken()),
        closedStats: thrown(() => closed.stats()),
        closeAgain: thrown(() => closed.close()),
      }))`,
    want: {
      setTokens: 'unsupported',
      clearTokens: 'unsupported',
      badTokens: 'authfetch: setTokens: accessToken must be a string, got number',
      closedFetch: 'closed',
      closedReady: 'closed',
      closedToken: 'closed',
      closedStats: 'closed',
      closeAgain: 'returned',
    },
  },
]

for (const c of cases) {
  test(c.name, async () => {
    const run = await runScript(prelude + c.script)
    assert.ok(run.exitedOnItsOwn, `the process did not exit on its own; it printed:\n${run.stdout}${run.stderr}`)
    assert.equal(run.stderr, '', 'nothing on stderr: no unhandled rejection, no warning')
    assert.equal(run.code, 0)
    assert.deepEqual(run.value, c.want)
  })
}

// Vue's server renderer, as Nuxt's server render runs it: an app that
// installed authFetchPlugin renders a component that calls useAuthFetch(),
// with the state the browser renders first, and the process exits on its own.

import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runScript } from './child.mjs'

const cases = [
  {
    name: 'renderToString renders a component that calls useAuthFetch()',
    options: `{ refreshURL: '/auth/refresh-token' }`,
    want: '<p>signed out · ready false · error none</p>',
  },
  {
    name: 'the server renders the same with a bad option: it is the browser\'s to refuse',
    options: `{ refreshUrl: '/a-typo' }`,
    want: '<p>signed out · ready false · error none</p>',
  },
]

for (const c of cases) {
  test(c.name, async () => {
    const run = await runScript(`
      const { createSSRApp, h } = await import('vue')
      const { renderToString } = await import('vue/server-renderer')
      const { authFetchPlugin, useAuthFetch } = await import('authfetch/vue')
      const app = createSSRApp({
        setup() {
          const { isAuthenticated, ready, error } = useAuthFetch()
          return () => h('p', \`signed \${isAuthenticated.value ? 'in' : 'out'} · ready \${ready.value} · error \${error.value?.code ?? 'none'}\`)
        },
      }).use(authFetchPlugin, ${c.options})
      const html = await renderToString(app)
      const auth = app.runWithContext(useAuthFetch)
      const code = await auth.client.ready.then(() => 'resolved', (err) => err.code)
      console.log(JSON.stringify({ html, code, after: [auth.ready.value, auth.error.value] }))`)
    assert.ok(run.exitedOnItsOwn, `the process did not exit on its own; it printed:\n${run.stdout}${run.stderr}`)
    assert.equal(run.stderr, '', 'nothing on stderr: no unhandled rejection, no Vue warning')
    assert.equal(run.code, 0)
    assert.deepEqual(run.value, { html: c.want, code: 'unsupported', after: [false, null] })
  })
}

// What a Vite user writes after `npm install authfetch`: the loader and the
// Vue glue come from the package, and vite build must carry authfetch.wasm and
// wasm_exec.js into the output. e2e/pack_test.go drives it through window.app.
import { createApp, h } from 'vue'
import { createAuthFetch } from 'authfetch'
import { authFetchPlugin, authFetchReady, useAuthFetch } from 'authfetch/vue'

const app = createApp({
  setup() {
    const auth = useAuthFetch()
    window.app.auth = auth
    return () => h('p', { id: 'state' }, auth.isAuthenticated.value ? 'signed in' : 'signed out')
  },
})
app.use(authFetchPlugin, { refreshURL: '/auth/refresh-token' })

window.app = {
  createAuthFetch,
  ready: authFetchReady(app).then(() => { app.mount('#app') }),
}

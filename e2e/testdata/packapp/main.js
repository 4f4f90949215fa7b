// What a Vite user writes after `npm install authfetch`: the loader, the
// Vue glue and the module's URL come from the package, and vite build must
// carry authfetch.wasm and Go's glue into the output. The app mounts at
// once; e2e/pack_test.go drives it through window.app.
import { createApp, h } from 'vue'
import { createAuthFetch } from 'authfetch'
import { authFetchPlugin, useAuthFetch } from 'authfetch/vue'
import wasmURL from 'authfetch/authfetch.wasm?url'

window.app = { createAuthFetch, wasmURL }

createApp({
  setup() {
    const auth = useAuthFetch()
    window.app.auth = auth
    return () => h('p', { id: 'state' }, auth.isAuthenticated.value ? 'signed in' : 'signed out')
  },
}).use(authFetchPlugin, { refreshURL: '/auth/refresh-token' }).mount('#app')

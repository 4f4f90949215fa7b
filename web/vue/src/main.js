// The app mounts at once: the authfetch module loads while it renders, and
// the first requests wait for it inside fetch.
import { createApp } from 'vue'
import { authFetchPlugin } from 'authfetch/vue'
import App from './App.vue'

createApp(App).use(authFetchPlugin, { refreshURL: '/auth/refresh-token' }).mount('#app')

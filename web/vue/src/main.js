// The app waits for the authfetch module before it mounts, so every component
// gets a ready client from useAuthFetch().
import { createApp } from 'vue'
import { authFetchPlugin, authFetchReady } from 'authfetch/vue'
import App from './App.vue'

const app = createApp(App).use(authFetchPlugin, { refreshURL: '/auth/refresh-token' })
try {
  await authFetchReady(app)
  app.mount('#app')
} catch (err) {
  document.querySelector('#app').textContent = err.message // what failed to load, and where
}

// authfetch runs in the browser: this plugin (.client) installs it there
// only, and the app mounts without waiting for its module. Components that
// use it are rendered in <ClientOnly>, since the tokens live in the
// browser's storage: the server cannot know whether the user is signed in.
import { authFetchPlugin } from 'authfetch/vue'

export default defineNuxtPlugin((nuxtApp) => {
  nuxtApp.vueApp.use(authFetchPlugin, { refreshURL: '/auth/refresh-token' })
})

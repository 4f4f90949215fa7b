// The Nuxt config of the authfetch Nuxt example.
//
// In your app, `npm install authfetch` and drop the aliases: 'authfetch' and
// 'authfetch/vue' then come from the package. Here they are the repository's
// js/ folder, so the example always runs the code next to it (after make build).
import { fileURLToPath } from 'node:url'

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url))

// The demo server (make demo) answers the API when `npm run dev` serves the app.
const demo = process.env.DEMO_URL ?? 'http://localhost:8080'

export default defineNuxtConfig({
  compatibilityDate: '2025-07-15',
  devtools: { enabled: false },
  telemetry: false,
  vite: {
    resolve: {
      alias: [
        { find: /^authfetch$/, replacement: repo('js/authfetch.js') },
        { find: /^authfetch\/vue$/, replacement: repo('js/vue.js') },
      ],
      // js/vue.js lives outside this project: make its `import 'vue'` use this app's copy.
      dedupe: ['vue'],
    },
    server: { fs: { allow: [repo('')] } },
  },
  nitro: {
    devProxy: { '/auth': `${demo}/auth`, '/api': `${demo}/api`, '/demo': `${demo}/demo` },
  },
})

// The Vite config of the authfetch Vue example.
//
// In your app, `npm install authfetch` and drop the alias: 'authfetch' and
// 'authfetch/vue' then come from the package. Here they are the repository's
// js/ folder, so the example always runs the code next to it (after make build).
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

const repo = (path) => fileURLToPath(new URL(`../../${path}`, import.meta.url))

// The demo server (make demo) answers the API when `npm run dev` serves the app.
const demo = process.env.DEMO_URL ?? 'http://localhost:8080'

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: [
      { find: /^authfetch$/, replacement: repo('js/authfetch.js') },
      { find: /^authfetch\/vue$/, replacement: repo('js/vue.js') },
    ],
    // js/vue.js lives outside this project: make its `import 'vue'` use this app's copy.
    dedupe: ['vue'],
  },
  server: {
    fs: { allow: [repo('')] },
    proxy: { '/auth': demo, '/api': demo, '/demo': demo },
  },
})

// The scratch app needs no config to build. For `vite` (dev), e2e/pack_test.go
// sets AUTHFETCH_API to the demo API that the dev server passes requests to.
import { defineConfig } from 'vite'

const api = process.env.AUTHFETCH_API

export default defineConfig({
  server: api ? { proxy: { '/auth': api, '/api': api, '/demo': api } } : {},
})

// authfetch with its defaults: tokens read from localStorage, refresh on 401
// at /auth/refresh-token. The profile passes a wasmURL (a build with names).

import { createAuthFetch } from '/js/authfetch.js'

export async function setup(options = {}) {
  const api = await createAuthFetch({ refreshURL: '/auth/refresh-token', ...options })
  return {
    fetch: api.fetch,
    async request(url) {
      const res = await api.fetch(url)
      await res.json()
      return res.status
    },
  }
}

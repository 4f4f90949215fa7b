// authfetch with dpop: true: every request carries a DPoP proof signed with
// the session's non-extractable P-256 key (WebCrypto), and the token as
// Authorization: DPoP <token>. The key is made, and kept in IndexedDB, on the
// first request (the warm-up round). Beside the authfetch contender, this is
// a second client of the page's one module.

import { createAuthFetch } from '/js/authfetch.js'

export async function setup(options = {}) {
  const api = await createAuthFetch({ refreshURL: '/auth/refresh-token', dpop: true, ...options })
  return {
    fetch: api.fetch,
    async request(url) {
      const res = await api.fetch(url)
      await res.json()
      return res.status
    },
  }
}

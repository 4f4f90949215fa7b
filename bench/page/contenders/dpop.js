// authfetch with dpop: true: every request carries a DPoP proof signed with
// the session's non-extractable P-256 key (WebCrypto), and the token as
// Authorization: DPoP <token>. The key is made, and kept in IndexedDB, on the
// first request (the warm-up round). Beside the authfetch contender, this is
// a second client of the page's one module.

import { setup as authfetch } from './authfetch.js'

export const setup = (options = {}) => authfetch({ dpop: true, ...options })

// getAccessToken() before the module runs: the access token read straight
// from the storage the options name, by the rule the module applies.

/**
 * The access token that options' storage holds under accessTokenKey, or
 * null: with 'memory' storage, where there is no Web Storage (Node), or when
 * reading it throws.
 */
export function storedAccessToken({ storage = 'local', accessTokenKey = 'accessToken' }) {
  try {
    const store = storage === 'local' ? globalThis.localStorage
      : storage === 'session' ? globalThis.sessionStorage
        : typeof storage === 'object' ? storage : null
    return validToken(store?.getItem(accessTokenKey))
  } catch {
    return null
  }
}

/** What the module accepts as a bearer token (RFC 6750's b64token). */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/

/**
 * The token in v, or null where v is none: not a string, empty, "undefined"
 * or "null" (what setItem makes of a missing value), or not a b64token (a
 * JSON object, text with spaces), which the module counts as no token too.
 */
export function validToken(v) {
  if (typeof v !== 'string') return null
  const token = v.trim()
  return token !== 'undefined' && token !== 'null' && B64TOKEN.test(token) ? token : null
}

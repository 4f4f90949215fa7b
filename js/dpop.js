// DPoP proofs (RFC 9449) signed with WebCrypto, for the dpop option. Each
// session has one P-256 key pair whose private key is not extractable: no
// script can read it, so a token copied out of storage is useless without
// the page. The pair is kept in IndexedDB, so the session's tabs share it and
// a reload reuses it; clearTokens() discards it. What a proof says (method,
// URL, time, nonce) is the module's decision; this file only signs.

const DB = 'authfetch-dpop'
const STORE = 'keys'

/** Runs op on the store, as withStore does. */
const onStore = (mode, op) => withStore(DB, STORE, mode, op)

/** Returns the prover of the session named key. */
export function dpopProver(key) {
  let pair = null // a Promise of { privateKey, jwk }, once loaded
  const load = () => {
    pair ??= loadOrCreate(key).catch((err) => {
      pair = null
      throw err
    })
    return pair
  }
  return {
    /** Signs a proof of htm and htu at iat, with nonce and the hash of accessToken when given. */
    async prove(htm, htu, iat, nonce, accessToken) {
      const { privateKey, jwk } = await load()
      const payload = { htm, htu, iat, jti: crypto.randomUUID() }
      if (nonce) payload.nonce = nonce
      if (accessToken) payload.ath = base64url(await crypto.subtle.digest('SHA-256', utf8(accessToken)))
      const input = base64url(utf8(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk }))) + '.' + base64url(utf8(JSON.stringify(payload)))
      const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, utf8(input))
      return input + '.' + base64url(signature)
    },
    /** Forgets the pair this tab holds: another tab logged out, and the next login may bind a new one. */
    drop() {
      pair = null
    },
    /** Discards the session's pair, in every tab (a logout). */
    async discard() {
      pair = null
      await onStore('readwrite', (store) => store.delete(key))
    },
  }
}

/**
 * The session's pair from IndexedDB, or a new one stored there. Under a Web
 * Lock, so that two tabs that start at once make one pair between them.
 */
function loadOrCreate(key) {
  return navigator.locks.request('authfetch-dpop:' + key, async () => {
    const kept = await onStore('readonly', (store) => store.get(key))
    if (kept) return kept
    const { privateKey, publicKey } = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
    const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', publicKey)
    const made = { privateKey, jwk: { kty, crv, x, y } }
    await onStore('readwrite', (store) => store.put(made, key))
    return made
  })
}


function utf8(s) {
  return new TextEncoder().encode(s)
}

function base64url(buffer) {
  const bytes = new Uint8Array(buffer)
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/**
 * Runs op on the store of the database db (made on first use, with that one
 * store), and resolves with its request's result once the transaction
 * committed.
 */
export function withStore(db, store, mode, op) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(db, 1)
    open.onupgradeneeded = () => open.result.createObjectStore(store)
    open.onerror = () => reject(open.error)
    open.onsuccess = () => {
      const conn = open.result
      const tx = conn.transaction(store, mode)
      const req = op(tx.objectStore(store))
      tx.oncomplete = () => { conn.close(); resolve(req?.result) }
      tx.onerror = tx.onabort = () => { conn.close(); reject(tx.error) }
    }
  })
}

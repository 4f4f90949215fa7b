// authfetch's refresh courier: a small service worker that sends authfetch's
// own refresh requests for the page, so that an answer survives the tab that
// asked for it. A server that rotates refresh tokens spends the old one when
// the request arrives; if the tab closes before the answer comes, no page
// learns the new tokens, and the next refresh spends the old token again,
// which the server takes for theft: everyone is logged out. The courier
// sends the request inside event.waitUntil, records an answer that carries
// tokens in IndexedDB under the refresh token it spent before it replies,
// and gives that answer to any later refresh of the same token instead of
// sending it again.
//
// Register it with authfetch's refreshWorker option; it need not control any
// page, so it lives beside an app's own service worker.

const DB = 'authfetch-courier'
const STORE = 'answers'
const KEEP_MS = 10 * 60 * 1000 // long past any refresh that can still ask

/** The answers' database, opened once for the worker's life. */
let db = null

/** The refreshes this worker has out, by the refresh token they spend. */
const inflight = new Map()

self.addEventListener('install', () => self.skipWaiting())

self.addEventListener('message', (event) => {
  const { type, key, url, init, deadline } = event.data ?? {}
  const [port] = event.ports
  // Past its deadline the page has sent the refresh itself: sending it too
  // would spend the refresh token twice.
  if (type !== 'refresh' || !port || typeof key !== 'string' || Date.now() > deadline) return
  port.postMessage({ ack: true })
  event.waitUntil(answerFor(key, url, init).then(
    (answer) => port.postMessage({ answer }),
    (err) => port.postMessage({ error: String(err?.message ?? err) }),
  ))
})

/**
 * The answer for a refresh that spends key: the one recorded, the one of the
 * request still out for it, or a new request's.
 */
async function answerFor(key, url, init) {
  const recorded = await recordedAnswer(key)
  if (recorded) return recorded
  if (!inflight.has(key)) {
    inflight.set(key, send(key, url, init).finally(() => inflight.delete(key)))
  }
  return inflight.get(key)
}

/** Sends the refresh request and records its answer before handing it back. */
async function send(key, url, init) {
  const res = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, credentials: init.credentials, cache: 'no-store' })
  const answer = {
    status: res.status,
    body: await res.text(),
    date: res.headers.get('Date') ?? '',
    dpopNonce: res.headers.get('DPoP-Nonce') ?? '',
    wwwAuthenticate: res.headers.get('WWW-Authenticate') ?? '',
    at: Date.now(),
  }
  if (carriesTokens(answer)) await record(key, answer)
  return answer
}

/**
 * Whether answer may carry the tokens that replace the one spent: a 2xx
 * with a JSON object. Only such an answer is kept; a failure spent nothing
 * worth keeping, and kept it would answer every later refresh of the token
 * with the same failure.
 */
function carriesTokens(answer) {
  if (answer.status < 200 || answer.status > 299) return false
  try {
    const value = JSON.parse(answer.body)
    return value !== null && typeof value === 'object'
  } catch {
    return false
  }
}

/** The answers' database. It is a classic worker's own code, with no import, so that it is one file to serve. */
function answers() {
  db ??= new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1)
    open.onupgradeneeded = () => open.result.createObjectStore(STORE)
    open.onsuccess = () => resolve(open.result)
    open.onerror = () => { db = null; reject(open.error) }
  })
  return db
}

/** The answer recorded for key, or undefined. */
async function recordedAnswer(key) {
  const get = (await answers()).transaction(STORE).objectStore(STORE).get(key)
  return new Promise((resolve, reject) => {
    get.onsuccess = () => resolve(get.result)
    get.onerror = () => reject(get.error)
  })
}

/** Records answer under key, forgets the old ones, and resolves once that is committed. */
async function record(key, answer) {
  const tx = (await answers()).transaction(STORE, 'readwrite')
  const store = tx.objectStore(STORE)
  store.put(answer, key)
  forgetOld(store)
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = tx.onabort = () => reject(tx.error)
  })
}

/** Deletes the answers recorded longer ago than KEEP_MS. */
function forgetOld(store) {
  const cursor = store.openCursor()
  cursor.onsuccess = () => {
    const c = cursor.result
    if (!c) return
    if (Date.now() - c.value.at > KEEP_MS) c.delete()
    c.continue()
  }
}

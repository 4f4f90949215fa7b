// The page's side of the refresh courier (authfetch-sw.js, the refreshWorker
// option): it registers the worker, and hands it each refresh request of
// authfetch's own. Where service workers are missing, or the worker does not
// acknowledge a refresh in time, it says so (null), and the module sends the
// refresh itself, as without the option.

/**
 * Returns send(url, init, key, ackMs) for the worker at workerURL: a Promise
 * of the refresh's answer ({ status, body, date, dpopNonce,
 * wwwAuthenticate }), or of null when the worker cannot carry it.
 */
export function courier(workerURL) {
  const registered = register(workerURL)
  return async (url, init, key, ackMs) => {
    const worker = await within(registered, ackMs)
    if (!worker) return null
    const { port1, port2 } = new MessageChannel()
    let ack, reply
    const acked = new Promise((resolve) => { ack = resolve })
    const replied = new Promise((resolve) => { reply = resolve })
    port1.onmessage = (e) => (e.data?.ack ? ack(true) : reply(e.data))
    // The worker drops a message that reaches it after half the wait: the
    // page has gone on without it by then, and two sends would spend the
    // refresh token twice.
    worker.postMessage({ type: 'refresh', url, init, key, deadline: Date.now() + ackMs / 2 }, [port2])
    if (!(await within(acked, ackMs))) {
      port1.close()
      return null
    }
    const { answer, error } = await replied
    port1.close()
    if (error !== undefined) throw new TypeError(`authfetch: the refresh courier could not send the refresh: ${error}`)
    return answer
  }
}

/**
 * Registers the worker under a scope of its own (it need not control a page,
 * so an app's own worker at / is left alone), and resolves with it once it
 * is active, or with null where service workers are missing or refused.
 */
async function register(workerURL) {
  if (!globalThis.navigator?.serviceWorker) return null
  try {
    const scope = new URL('./authfetch-courier/', new URL(workerURL, globalThis.location?.href)).href
    const reg = await navigator.serviceWorker.register(workerURL, { scope })
    return reg.active ?? await activated(reg.installing ?? reg.waiting)
  } catch (err) {
    console.warn('authfetch: the refresh courier could not be registered; refreshing from the page:', err)
    return null
  }
}

/** Resolves with worker once it is activated. */
function activated(worker) {
  return new Promise((resolve) => {
    if (!worker) return resolve(null)
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve(worker)
      if (worker.state === 'redundant') resolve(null)
    })
  })
}

/** p, or false when ms pass first. */
function within(p, ms) {
  return Promise.race([p, new Promise((resolve) => setTimeout(() => resolve(false), ms))])
}

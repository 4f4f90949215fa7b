// A client's listeners, and the details of the events the module reports.

/** The events a client can listen to. */
export const EVENTS = ['refresh', 'authfailure', 'refresherror', 'tokens']

/** A fresh set of listeners per event. */
export function newListeners() {
  return new Map(EVENTS.map((name) => [name, new Set()]))
}

/**
 * The function the module calls with each event of the client's session:
 * it builds the event's detail and calls each listener of listeners.
 */
export function emitter(listeners) {
  return (name, accessToken, adopted, status, reason) => {
    emit(listeners.get(name), eventDetail(name, accessToken, adopted, status, reason))
  }
}

/** The detail of an event of each kind, from what the module reports. */
function eventDetail(name, accessToken, adopted, status, reason) {
  switch (name) {
    case 'refresh': return adopted ? { accessToken, adopted } : { accessToken }
    case 'tokens': return { accessToken }
    default: return status ? { status, reason } : { reason }
  }
}

/** Calls each listener; one that throws is reported and does not stop the others. */
function emit(fns, detail) {
  Object.freeze(detail)
  for (const fn of [...fns]) {
    try {
      fn(detail)
    } catch (err) {
      if (typeof globalThis.reportError === 'function') globalThis.reportError(err)
      else console.error(err)
    }
  }
}

/** Adds fn to event's listeners and returns the function that removes it. */
export function listen(listeners, event, fn) {
  const fns = listeners.get(event)
  if (!fns) throw new Error(`authfetch: unknown event ${JSON.stringify(event)}; the events are ${EVENTS.join(', ')}`)
  if (typeof fn !== 'function') throw new Error(`authfetch: on(${JSON.stringify(event)}) needs a function, got ${typeof fn}`)
  fns.add(fn)
  return () => { fns.delete(fn) }
}

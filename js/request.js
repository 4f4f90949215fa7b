// api.fetch, on the JS side of the module: it builds the Request, asks the
// module once for the token, calls fetch, and goes back to the module only
// for a refresh status or a call-off. The module decides (which requests
// get the token, when to refresh, what is retried); this helper carries the
// Request and its Response, which never cross into Go.

// Flags of a request, as the module reads them.
const SKIP_AUTH = 1
const SKIP_AUTH_REFRESH = 2
const HAS_AUTHORIZATION = 4
const NOT_REPLAYABLE = 8

/**
 * Returns api.fetch for a client: handle is the module's client, fetchOption
 * the fetch option (globalThis.fetch, read at each call, when undefined),
 * prover the DPoP prover with the dpop option (see dpop.js), else null. Its
 * settled() resolves once no call is under way: the handle's methods must
 * outlive the calls that use them, so close() waits for it.
 */
export function makeFetch(handle, fetchOption, prover) {
  const refreshOn = new Set(handle.refreshOn)
  let underWay = 0
  const waiting = [] // what settled() resolves when underWay drops to 0
  const apiFetch = async (input, init) => {
    underWay++
    try {
      return await send(input, init)
    } finally {
      if (--underWay === 0) for (const resolve of waiting.splice(0)) resolve()
    }
  }
  apiFetch.settled = () => underWay === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve))
  return apiFetch

  async function send(input, init) {
    const out = outgoing(handle, input, init, fetchOption ?? globalThis.fetch, prover)
    const slot = {}
    let token = handle.begin(out.url, out.method, out.flags, slot)
    if (typeof token !== 'string') token = await out.abortable(token)
    const res = await out.first(handle, token, slot)
    if (res === CALLED_OFF) {
      return out.send(await out.abortable(handle.calledOff(out.url, out.method, out.flags)))
    }
    if (!token || (out.flags & (SKIP_AUTH_REFRESH | NOT_REPLAYABLE)) || !refreshOn.has(res.status)) return res
    const retry = await out.abortable(handle.answered(token, out.url, out.method, out.flags, res.status, res.redirected ? res.url : null))
    if (retry === null) return res
    res.body?.cancel().catch(() => {})
    return out.send(retry)
  }
}

/** What first returns for an attempt that a refusal of its token called off. */
const CALLED_OFF = Symbol('called off')

/**
 * One api.fetch call: the Request built once from the caller's input and
 * init, and sent once or twice. A retry replays exactly the same method, URL,
 * headers and body; a Request with a body is cloned for each attempt but the
 * last, because sending one consumes its body. Bad input throws what new
 * Request or new URL throw, a TypeError, as fetch rejects with.
 */
function outgoing(handle, input, init, fetch, prover) {
  const isURL = typeof input === 'string'
  if (isURL && handle.explicitBase) {
    input = handle.resolve(input)
    if (input instanceof Error) throw input
  }
  const template = new Request(input, init)
  const plain = isURL && init == null
  const replayable = !(init?.body instanceof ReadableStream)
  const hasBody = !plain && template.body !== null
  let flags = (init?.skipAuth ? SKIP_AUTH : 0) | (init?.skipAuthRefresh ? SKIP_AUTH_REFRESH : 0) | (replayable ? 0 : NOT_REPLAYABLE)
  if (!plain && template.headers.has('Authorization')) flags |= HAS_AUTHORIZATION
  const userSignal = !isURL || init?.signal ? template.signal : null
  let authorized = false // an attempt set Authorization on template itself
  const method = plain ? undefined : template.method

  /**
   * The Request of the next attempt, carrying token ("" carries none), and
   * with the dpop option a fresh proof. A Request with a body is cloned for
   * each attempt, because sending one consumes its body.
   */
  const next = async (token) => {
    const req = hasBody && replayable ? template.clone() : template
    if (token) {
      req.headers.set('Authorization', (prover ? 'DPoP ' : 'Bearer ') + token)
      authorized ||= req === template
    } else if (authorized) {
      // Sent again without a token (the refresh was rejected): the token an
      // earlier attempt set on template must not go out.
      req.headers.delete('Authorization')
    }
    const claims = prover && handle.claims(template.url, method, flags)
    if (claims) req.headers.set('DPoP', await prover.prove(...claims, token))
    return req
  }

  /**
   * Sends an attempt with token. With the dpop option, a nonce challenge in
   * its answer sends it once more with the nonce: not a refresh, not a retry.
   */
  const attempt = async (token, attemptInit) => {
    const res = await fetch(await next(token), attemptInit)
    if (!prover || !replayable || !(await nonceChallenge(handle, template.url, res))) return res
    res.body?.cancel().catch(() => {})
    return fetch(await next(token), attemptInit)
  }

  return {
    url: template.url,
    method,
    flags,
    /** Sends an attempt with token: the last one, untracked. */
    send: (token) => attempt(token),
    /**
     * Sends the first attempt. One that the module tracks is ended when it
     * has its answer; one it may call off carries slot.signal as well as the
     * caller's, and once that fired, whatever came back is not the caller's
     * (its body was aborted with it): CALLED_OFF.
     */
    async first(handle, token, slot) {
      if (!slot.signal) {
        try {
          return await attempt(token)
        } finally {
          if (slot.attempt) handle.end(slot.attempt)
        }
      }
      // Given an init, fetch resets the Request's referrer and its policy:
      // carry the Request's own, so that what the caller asked holds.
      const attemptInit = { signal: AbortSignal.any([template.signal, slot.signal]) }
      if (!plain) Object.assign(attemptInit, { referrer: template.referrer, referrerPolicy: template.referrerPolicy })
      try {
        const res = await attempt(token, attemptInit)
        if (slot.signal.aborted) return CALLED_OFF
        return res
      } catch (err) {
        if (slot.signal.aborted && !template.signal.aborted) return CALLED_OFF
        throw err
      } finally {
        handle.end(slot.attempt)
      }
    },
    /** Waits for p, or rejects as fetch would when the caller aborts first. */
    abortable(p) {
      if (!userSignal) return p
      if (userSignal.aborted) return Promise.reject(userSignal.reason)
      return new Promise((resolve, reject) => {
        const onAbort = () => reject(userSignal.reason)
        userSignal.addEventListener('abort', onAbort, { once: true })
        p.then(resolve, reject).finally(() => userSignal.removeEventListener('abort', onAbort))
      })
    },
  }
}

/**
 * Hands the module a DPoP-Nonce the answer carried, and reports whether the
 * answer is a nonce challenge to answer by sending the attempt again. Only a
 * 400's body is read (from a clone): there the challenge is in the body.
 */
async function nonceChallenge(handle, url, res) {
  const nonce = res.headers.get('DPoP-Nonce')
  if (!nonce) return false
  const body = res.status === 400 ? await res.clone().text() : ''
  return handle.nonceAnswer(url, res.status, nonce, res.headers.get('WWW-Authenticate') ?? '', body)
}

// AuthFetchError: what ready, fetch and refresh reject with when authfetch
// itself cannot serve the call. What fetch rejects with for a request
// (TypeError, AbortError, the signal's reason) is never wrapped in it.

/** The codes, each a reason the client cannot work. */
const CODES = ['option', 'load', 'closed', 'unsupported']

/**
 * An error of authfetch's own, with a code to branch on:
 * 'option' (the message names the option), 'load' (what failed to load and
 * where), 'closed' (a call after close()), 'unsupported' (no browser to run
 * in: server-side rendering, Node). The module's own error, when there is
 * one, is the cause.
 */
export class AuthFetchError extends Error {
  constructor(message, { code, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause })
    if (!CODES.includes(code)) throw new TypeError(`AuthFetchError: code must be one of ${CODES.join(', ')}, got ${JSON.stringify(code)}`)
    this.name = 'AuthFetchError'
    this.code = code
  }
}

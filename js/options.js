// What only JS can get wrong in the options and in setTokens' argument:
// names, types and shapes. The module checks what the values mean (a URL
// that parses, a status in range) and fills in the defaults.

import { AuthFetchError } from './errors.js'

/** The JS type each option the module takes may have. */
const OPTION_TYPES = {
  baseURL: 'string',
  refreshURL: 'string',
  accessTokenKey: 'string',
  refreshTokenKey: 'string or null',
  storage: 'string or object',
  refreshFormat: 'string',
  clientId: 'string',
  refreshOn: 'number[]',
  allowedOrigins: 'string[]',
  refreshLeewaySeconds: 'number',
  refreshTimeoutMs: 'number',
  crossTab: 'boolean',
  fetch: 'function',
  refresh: 'function',
  refreshInit: 'object',
  debug: 'boolean or function',
  dpop: 'boolean',
  refreshWorker: 'string or object',
}

/** Names a value's type in the words of OPTION_TYPES. */
export function typeOf(v) {
  if (v === null) return 'null'
  if (!Array.isArray(v)) return typeof v
  const types = new Set(v.map(typeOf))
  if (types.size === 0) return 'empty array'
  return types.size === 1 ? `${[...types][0]}[]` : 'array of mixed types'
}

const optionError = (message) => new AuthFetchError(`authfetch: ${message}`, { code: 'option' })

/**
 * Splits the options into where the module comes from (wasmURL, a string or
 * URL, or wasmModule, a WebAssembly.Module or a Promise of one) and the
 * options the module takes, which it checks: an unknown name (a typo such as
 * refreshUrl), a value of the wrong type, a storage object without the
 * methods of Web Storage, a refreshInit that fetch would refuse. Throws an
 * AuthFetchError of code 'option' that names the option.
 */
export function checkOptions(options) {
  if (options === null || typeof options !== 'object') {
    throw optionError(`options must be an object, got ${typeOf(options)}`)
  }
  const { wasmURL, wasmModule, ...rest } = options
  if (wasmURL !== undefined && typeof wasmURL !== 'string' && !(wasmURL instanceof URL)) {
    throw optionError(`option wasmURL must be a string or URL, got ${typeOf(wasmURL)}`)
  }
  if (wasmModule !== undefined && !isModule(wasmModule) && typeof wasmModule?.then !== 'function') {
    throw optionError(`option wasmModule must be a WebAssembly.Module or a Promise of one, got ${typeOf(wasmModule)}`)
  }
  if (wasmURL !== undefined && wasmModule !== undefined) {
    throw optionError('options wasmURL and wasmModule exclude each other: wasmModule is the module itself, wasmURL where to fetch it')
  }
  for (const [name, value] of Object.entries(rest)) {
    const want = OPTION_TYPES[name]
    if (!want) throw optionError(`unknown option ${JSON.stringify(name)}`)
    const got = typeOf(value)
    if (got === 'undefined' || (got === 'empty array' && want.endsWith('[]'))) continue
    if (!want.split(' or ').includes(got)) throw optionError(`option ${name} must be a ${want}, got ${got}`)
  }
  for (const method of ['getItem', 'setItem', 'removeItem']) {
    if (typeof rest.storage === 'object' && typeof rest.storage[method] !== 'function') {
      throw optionError(`option storage must have a ${method} method, as Web Storage has`)
    }
  }
  const { credentials, headers } = rest.refreshInit ?? {}
  if (credentials !== undefined && !['omit', 'same-origin', 'include'].includes(credentials)) {
    throw optionError(`option refreshInit.credentials must be 'omit', 'same-origin' or 'include', got ${JSON.stringify(credentials)}`)
  }
  try {
    if (headers !== undefined) new Headers(headers)
  } catch (err) {
    throw optionError(`option refreshInit.headers: ${err.message}`)
  }
  return { wasmURL, wasmModule, moduleOptions: rest }
}

/** Whether v is a compiled module; false where there is no WebAssembly. */
export function isModule(v) {
  return typeof WebAssembly === 'object' && v instanceof WebAssembly.Module
}

/** Checks setTokens' argument, which the module takes as it is. */
export function checkTokens(t) {
  if (t === null || typeof t !== 'object') throw new Error(`authfetch: setTokens takes {accessToken, refreshToken?, expiresIn?}, got ${typeOf(t)}`)
  const { accessToken, refreshToken, expiresIn } = t
  if (typeof accessToken !== 'string') throw new Error(`authfetch: setTokens: accessToken must be a string, got ${typeOf(accessToken)}`)
  if (refreshToken != null && typeof refreshToken !== 'string') throw new Error(`authfetch: setTokens: refreshToken must be a string, got ${typeOf(refreshToken)}`)
  if (expiresIn != null && !(typeof expiresIn === 'number' && expiresIn >= 0 && expiresIn < 2 ** 31)) {
    throw new Error(`authfetch: setTokens: expiresIn must be a number of seconds >= 0, got ${JSON.stringify(expiresIn) ?? typeOf(expiresIn)}`)
  }
}

// The debug option as the module calls it: the module hands each decision's
// fields, and this makes the entry that authfetch.d.ts' DebugEntry types.

/**
 * Returns what the module calls with each decision's type, url, reason and
 * count: true logs the entry with console.debug, a function gets it.
 * undefined without the option.
 */
export function debugSink(debug) {
  if (!debug) return undefined
  const sink = debug === true ? (entry) => console.debug('authfetch:', entry) : debug
  return (type, url, reason, count) => {
    const entry = { type }
    if (url) entry.url = url
    if (reason) entry.reason = reason
    if (count) entry.count = count
    sink(entry)
  }
}

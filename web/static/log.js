// The demo page's log: timestamped lines, newest first, and authfetch's own
// debug trace among them (the debug option), which a checkbox hides.

const MAX_LOG = 300

/** Adds a line at the top of the log. kind is ok, warn, bad, event, info or debug. */
export function log (kind, message) {
  const list = document.getElementById('log')
  const li = document.createElement('li')
  li.className = kind
  const time = document.createElement('time')
  time.textContent = new Date().toISOString().slice(11, 23)
  li.append(time, ' ', message)
  list.prepend(li)
  while (list.children.length > MAX_LOG) list.lastElementChild.remove()
}

/** The log's kind of an answer's status. */
export function kindOf (status) {
  if (status >= 200 && status < 300) return 'ok'
  return status >= 500 ? 'bad' : 'warn'
}

/**
 * Logs one entry of authfetch's debug trace, { type, url?, reason?, count? }:
 * the option debug: logDebug makes the client explain each decision here.
 */
export function logDebug (entry) {
  const parts = [`debug ${entry.type}`]
  if (entry.url) {
    const url = new URL(entry.url, document.baseURI)
    parts.push(url.origin === location.origin ? url.pathname + url.search : url.href)
  }
  if (entry.count !== undefined) parts.push(`×${entry.count}`)
  if (entry.reason) parts.push(`(${entry.reason})`)
  log('debug', parts.join(' '))
}

/** Wires the log's controls: the debug trace checkbox and the clear button. */
export function wireLog () {
  const list = document.getElementById('log')
  const show = document.getElementById('show-debug')
  const apply = () => list.classList.toggle('hide-debug', !show.checked)
  show.addEventListener('change', apply)
  apply()
  document.getElementById('clear-log').addEventListener('click', () => list.replaceChildren())
}

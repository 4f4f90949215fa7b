// The demo's timeline: one row per api.fetch call of the last storm, drawn
// from what the network saw — each attempt sent and answered, the wait for the
// refresh between a 401 and the retry, the settle — with every refresh drawn
// as a band across all rows.
//
// It learns about attempts from trace.js, which wraps the page's fetch before
// authfetch loads and calls sent, answered, refreshStarted and refreshEnded.
//
// Each row and band carries data attributes (data-state, data-attempts,
// data-retried, data-status, data-outcome) that e2e/demopage_test.go reads.

import { describeStorm } from '/static/summary.js'

/** A storm ends when nothing was in flight for this long; the next request starts a new one. */
const IDLE_MS = 1500
/** The height the rows share, in px. */
const ROWS_PX = 260

/** A refresh answer: 'ok', 'rejected' (authfetch removes the tokens) or 'failed' (transient). */
function refreshOutcome (status) {
  if (status >= 200 && status < 300) return 'ok'
  return [400, 401, 403].includes(status) ? 'rejected' : 'failed'
}

/**
 * Creates the timeline in root (an element with .tl-bands, .tl-rows, .tl-axis)
 * and summary (a paragraph). describeToken(token) names a token in tooltips.
 */
export function createTimeline (root, summary, describeToken = (t) => t) {
  const bands = root.querySelector('.tl-bands')
  const rowsEl = root.querySelector('.tl-rows')
  const axis = root.querySelector('.tl-axis')
  let rows = new Map() // trace id → row
  let refreshes = [] // bands of this storm
  let t0 = 0
  let lastActivity = -Infinity
  let frame = 0

  const now = () => performance.now()
  const inFlight = () => [...rows.values()].some((r) => r.end === undefined) || refreshes.some((b) => b.end === undefined)

  function startStormIfIdle () {
    if (inFlight() || now() - lastActivity < IDLE_MS) return
    rows = new Map()
    refreshes = []
    rowsEl.replaceChildren()
    bands.replaceChildren()
    t0 = now()
  }

  function touch () {
    lastActivity = now()
    if (!frame) frame = requestAnimationFrame(render)
  }

  function setData (row) {
    const d = row.el.dataset
    const last = row.attempts.at(-1)
    d.attempts = String(row.attempts.length)
    d.retried = String(row.attempts.length > 1)
    const first = row.attempts[0]
    if (first?.status !== undefined) d.firstStatus = first.calledOff ? 'called-off' : String(first.status)
    d.state = row.end !== undefined ? 'settled'
      : !last ? 'waiting'
      : last.status === undefined ? (row.attempts.length > 1 ? 'retried' : 'sent')
      : 'waiting'
    if (row.status !== undefined) d.status = String(row.status)
    row.el.title = [
      `#${row.id} GET ${row.path}`,
      ...row.attempts.map((a, i) => `${i ? 'retry' : 'try'}: ${a.token ? `token ${describeToken(a.token)}` : 'no token'} → ${a.calledOff ? 'called off' : a.status ?? '…'}`),
      row.end !== undefined ? `settled ${row.status || 'rejected'} after ${Math.round(row.end - row.start)} ms` : 'in flight'
    ].join('\n')
    updateCounts()
  }

  function updateCounts () {
    const all = [...rows.values()]
    const d = root.dataset
    d.requests = String(all.length)
    d.settled = String(all.filter((r) => r.end !== undefined).length)
    d.retried = String(all.filter((r) => r.attempts.length > 1).length)
    d.refreshes = String(refreshes.length)
  }

  /** A row for the api.fetch call named id, started now. */
  function begin (id, path) {
    startStormIfIdle()
    const el = document.createElement('li')
    el.dataset.request = id
    const label = document.createElement('span')
    label.className = 'tl-label'
    label.textContent = `#${id} ${path}`
    const track = document.createElement('div')
    track.className = 'tl-track'
    el.append(label, track)
    rowsEl.append(el)
    const row = { id, path, el, track, start: now(), attempts: [] }
    rows.set(String(id), row)
    setData(row)
    touch()
  }

  /** The call settled: status is the final HTTP status, 0 when it rejected. */
  function end (id, status) {
    const row = rows.get(String(id))
    if (!row) return
    row.end = now()
    row.status = status
    setData(row)
    touch()
  }

  function sent (id, token) {
    const row = rows.get(String(id))
    if (!row) return -1
    row.attempts.push({ sent: now(), token })
    setData(row)
    touch()
    return row.attempts.length - 1
  }

  function answered (id, attempt, status, calledOff = false) {
    const a = rows.get(String(id))?.attempts[attempt]
    if (!a) return
    a.answered = now()
    a.status = status
    a.calledOff = calledOff
    setData(rows.get(String(id)))
    touch()
  }

  /** Starts the timeline when idle and adds a band (or a marker): its class, data attributes and label. */
  function addBand (className, data, text = '') {
    startStormIfIdle()
    const el = document.createElement('div')
    el.className = className
    Object.assign(el.dataset, data)
    const label = document.createElement('span')
    label.textContent = text
    el.append(label)
    bands.append(el)
    return { el, label }
  }

  function refreshStarted () {
    const band = { ...addBand('tl-band', { refresh: '', outcome: 'pending' }), start: now() }
    refreshes.push(band)
    updateCounts()
    touch()
    return band
  }

  function refreshEnded (band, status) {
    band.end = now()
    band.outcome = refreshOutcome(status)
    band.el.dataset.outcome = band.outcome
    band.el.dataset.status = String(status)
    touch()
  }

  /** Another tab refreshed and this tab adopted its tokens: a marker, no band. */
  function adopted () {
    refreshes.push({ ...addBand('tl-band adopted', { adopted: '', outcome: 'ok' }, 'adopted'), start: now(), end: now(), adopted: true })
    updateCounts()
    touch()
  }

  function render () {
    frame = 0
    const all = [...rows.values()]
    const active = inFlight()
    const ends = [...all.map((r) => r.end ?? now()), ...refreshes.map((b) => b.end ?? now())]
    const t1 = Math.max(t0 + 50, active ? now() : Math.max(t0, ...ends))
    const x = (t) => `${((Math.min(t, t1) - t0) / (t1 - t0)) * 100}%`
    const span = (el, from, to) => {
      el.style.left = x(from)
      el.style.width = `calc(${x(to)} - ${x(from)})`
    }

    const rowPx = Math.max(3, Math.min(16, Math.floor(ROWS_PX / Math.max(1, all.length))))
    root.style.setProperty('--row', `${rowPx}px`)
    root.classList.toggle('dense', rowPx < 12)

    for (const row of all) {
      const segs = []
      let cursor = row.start
      row.attempts.forEach((a, i) => {
        // Before the first send: waiting if a refresh ran meanwhile, else authfetch's own work.
        if (a.sent - cursor > 0.5) segs.push([i > 0 || waitedForRefresh(row) ? 'wait' : 'lead', cursor, a.sent])
        const kind = i > 0 ? 'retry' : a.calledOff ? 'calledoff' : a.status === 401 ? 'unauthorized' : 'sent'
        segs.push([kind, a.sent, a.answered ?? row.end ?? now()])
        cursor = a.answered ?? now()
      })
      if (row.end === undefined && row.attempts.length && row.attempts.at(-1).answered !== undefined) {
        segs.push(['wait', cursor, now()])
      }
      if (!row.attempts.length) segs.push(['wait', row.start, row.end ?? now()])
      const els = segs.map(([kind, from, to]) => {
        const i = document.createElement('i')
        i.className = `seg ${kind}`
        span(i, from, to)
        return i
      })
      if (row.end !== undefined) {
        const tick = document.createElement('b')
        tick.className = `tick ${row.status >= 200 && row.status < 300 ? 'ok' : 'bad'}`
        tick.style.left = x(row.end)
        els.push(tick)
      }
      row.track.replaceChildren(...els)
    }

    for (const band of refreshes) {
      span(band.el, band.start, band.end ?? now())
      if (!band.adopted) {
        const ms = Math.round((band.end ?? now()) - band.start)
        band.label.textContent = `refresh ${band.outcome ?? '…'} · ${ms} ms`
      }
    }

    const total = Math.round(t1 - t0)
    axis.replaceChildren(...[0, 0.25, 0.5, 0.75, 1].map((f) => {
      const s = document.createElement('span')
      s.style.left = `${f * 100}%`
      s.textContent = `${Math.round(f * total)} ms`
      return s
    }))

    summary.textContent = describeStorm(all, refreshes, active, total, waitedForRefresh)
    if (active) frame = requestAnimationFrame(render)
  }

  /** Whether row's first send came after a refresh that ran while it was queued. */
  function waitedForRefresh (row) {
    const sent = row.attempts[0]?.sent ?? now()
    return refreshes.some((b) => !b.adopted && b.start < sent && (b.end ?? now()) > row.start)
  }

  updateCounts()
  render()
  return { begin, end, sent, answered, refreshStarted, refreshEnded, adopted }
}

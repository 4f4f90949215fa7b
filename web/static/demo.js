// The authfetch demo page: sign in against the demo API, fire requests through api.fetch,
// flip the server's switches, and watch refreshes, queues and retries on the timeline and
// in the log.
import { createAuthFetch } from '/js/authfetch.js'
import { TRACE, createTimeline, traceFetch } from '/static/timeline.js'

const $ = (id) => document.getElementById(id)
const MAX_LOG = 300

// log adds a timestamped line at the top of the log. kind is ok, warn, bad, event or info.
function log (kind, message) {
  const li = document.createElement('li')
  li.className = kind
  const time = document.createElement('time')
  time.textContent = new Date().toISOString().slice(11, 23)
  li.append(time, ' ', message)
  $('log').prepend(li)
  while ($('log').children.length > MAX_LOG) $('log').lastElementChild.remove()
}

function kindOf (status) {
  if (status >= 200 && status < 300) return 'ok'
  return status >= 500 ? 'bad' : 'warn'
}

// jwtPayload decodes a JWT's payload without checking it: the page only wants exp and sub.
function jwtPayload (token) {
  try {
    const b64 = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')
    return JSON.parse(atob(b64.padEnd(b64.length + (4 - b64.length % 4) % 4, '=')))
  } catch {
    return null
  }
}

function showFatal (err) {
  $('fatal-message').textContent = err instanceof Error ? err.message : String(err)
  $('fatal').hidden = false
  setModuleState('not loaded', 'bad')
  log('bad', `createAuthFetch failed: ${$('fatal-message').textContent}`)
}

function setModuleState (text, kind) {
  $('module-state').textContent = text
  $('module-state').className = `pill ${kind}`
}

// The counters in the order the story goes.
// TAB names this tab in the log, so that two tabs side by side show which one
// refreshed and which adopted the other's tokens.
const TAB = Math.random().toString(36).slice(2, 6)

const CLIENT_STATS = ['requests', 'retries', 'refreshes', 'adoptions', 'refreshErrors', 'authFailures']
const SERVER_STATS = ['logins', 'refreshCalls', 'reuseDetections', 'api401s']

function renderStats (dl, names, stats) {
  dl.replaceChildren(...names.flatMap((name) => {
    const dt = document.createElement('dt')
    const dd = document.createElement('dd')
    dt.textContent = name
    dd.textContent = stats[name] ?? '–'
    return [dt, dd]
  }))
}

// renderSession shows who is signed in and how long the access token has left.
function renderSession (api) {
  const token = api.getAccessToken()
  const claims = token && jwtPayload(token)
  $('login-form').hidden = Boolean(token)
  $('signed-in').hidden = !token
  $('user').textContent = claims?.sub ?? '(unreadable token)'
  if (!claims?.exp) {
    $('token-left').textContent = token ? 'not a JWT' : 'none'
    $('token-bar').style.width = '0%'
    $('token-id').textContent = ''
    return
  }
  const left = claims.exp * 1000 - Date.now()
  // Without iat the token's whole life is unknown, and the bar stays full until it expires.
  const life = claims.iat ? (claims.exp - claims.iat) * 1000 : Infinity
  const share = left <= 0 ? 0 : Math.min(1, left / life)
  $('token-left').textContent = left > 0 ? `${(left / 1000).toFixed(1)} s left` : 'expired'
  $('token-bar').style.width = `${share * 100}%`
  $('token-bar').className = share > 0.5 ? 'ok' : share > 0.2 ? 'warn' : 'bad'
  $('token-id').textContent = `jti ${claims.jti ?? '?'} · family ${claims.fam ?? '?'}`
}

// statsDown is true while /demo/stats fails, so that an outage is logged once, not every second.
let statsDown = false

async function pollServerStats () {
  try {
    const res = await fetch('/demo/stats')
    const stats = await res.json()
    statsDown = false
    renderStats($('server-stats'), SERVER_STATS, stats)
    for (const b of document.querySelectorAll('[data-mode]')) {
      b.setAttribute('aria-pressed', String(b.dataset.mode === stats.refreshMode))
    }
  } catch (err) {
    renderStats($('server-stats'), SERVER_STATS, {})
    if (!statsDown) log('bad', `GET /demo/stats failed: ${err.message}`)
    statsDown = true
  }
}

// The timeline of the page; main() makes it trace the page's fetch before authfetch loads.
const timeline = createTimeline($('timeline'), $('timeline-summary'), (token) => `jti ${jwtPayload(token)?.jti ?? '?'}`)
let traced = 0

// timedFetch sends one request through api.fetch, draws it on the timeline and logs its
// outcome. The TRACE header only names its row on the timeline; the server ignores it.
async function timedFetch (api, path) {
  const id = String(++traced)
  const start = performance.now()
  timeline.begin(id, path)
  try {
    const res = await api.fetch(path, { headers: { [TRACE]: id } })
    timeline.end(id, res.status)
    log(kindOf(res.status), `GET ${path} → ${res.status} (${Math.round(performance.now() - start)} ms)`)
    return res
  } catch (err) {
    timeline.end(id, 0)
    log('bad', `GET ${path} rejected: ${err.name}: ${err.message}`)
    return null
  }
}

async function burst (api) {
  const n = Math.max(1, Math.min(500, Number($('burst-size').value) || 20))
  log('info', `firing ${n} concurrent GET /api/items`)
  const start = performance.now()
  const results = await Promise.all(Array.from({ length: n }, () => timedFetch(api, '/api/items')))
  const tally = {}
  for (const res of results) {
    const key = res ? res.status : 'rejected'
    tally[key] = (tally[key] ?? 0) + 1
  }
  const summary = Object.entries(tally).map(([k, v]) => `${v}× ${k}`).join(', ')
  $('burst-summary').textContent = `Last burst: ${summary} in ${Math.round(performance.now() - start)} ms`
  log('info', `burst of ${n} done: ${summary}`)
  pollServerStats()
}

async function login (api, event) {
  event.preventDefault()
  const email = $('email').value
  try {
    const res = await fetch('/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: $('password').value })
    })
    const body = await res.json()
    if (!res.ok) {
      log('warn', `POST /auth/login → ${res.status}: ${body.error}`)
      return
    }
    log('ok', `POST /auth/login → ${res.status}: signed in as ${email}`)
    api.setTokens({ accessToken: body.accessToken, refreshToken: body.refreshToken })
  } catch (err) {
    log('bad', `POST /auth/login failed: ${err.message}`)
  }
}

// post sends a demo switch with plain fetch: the switches are not authfetch's business.
async function post (path, body) {
  try {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: body && JSON.stringify(body)
    })
    log(kindOf(res.status), `POST ${path} → ${res.status} ${(await res.text()).trim()}`)
  } catch (err) {
    log('bad', `POST ${path} failed: ${err.message}`)
  }
  pollServerStats()
}

function wireSwitches () {
  $('revoke').addEventListener('click', () => post('/demo/revoke'))
  for (const b of document.querySelectorAll('[data-mode]')) {
    b.addEventListener('click', () => post('/demo/fail-refresh', { mode: b.dataset.mode }))
  }
  $('clear-log').addEventListener('click', () => $('log').replaceChildren())
}

function wireClient (api) {
  $('login-form').addEventListener('submit', (e) => login(api, e))
  $('logout').addEventListener('click', () => { api.clearTokens(); log('info', 'signed out: api.clearTokens()') })
  $('burst').addEventListener('click', () => burst(api))
  $('get-me').addEventListener('click', async () => {
    const res = await timedFetch(api, '/api/me')
    if (res?.ok) log('info', `/api/me says ${JSON.stringify(await res.json())}`)
  })
  $('get-slow').addEventListener('click', () => timedFetch(api, '/api/slow?ms=3000'))
  $('force-refresh').addEventListener('click', async () => {
    log('info', `api.refresh() → ${await api.refresh()}`)
  })

  api.on('refresh', (d) => { if (d.adopted) timeline.adopted() })
  api.on('refresh', (d) => log('event', d.adopted
    ? `refresh: tab ${TAB} adopted the tokens another tab's refresh got, jti ${jwtPayload(d.accessToken)?.jti ?? '?'}`
    : `refresh: tab ${TAB} refreshed, new access token jti ${jwtPayload(d.accessToken)?.jti ?? '?'}`))
  api.on('authfailure', (d) => log('bad', `authfailure ${d.status}: ${d.reason}; tokens removed, sign in again`))
  api.on('refresherror', (d) => log('warn', `refresherror ${d.status ?? 'no status'}: ${d.reason}; tokens kept`))
  api.on('tokens', (d) => log('event', `tokens: ${d.accessToken ? 'access token stored' : 'no access token'}`))

  for (const el of document.querySelectorAll('[data-needs-client]')) el.disabled = false
}

async function main () {
  renderStats($('client-stats'), CLIENT_STATS, {})
  renderStats($('server-stats'), SERVER_STATS, {})
  wireSwitches()
  pollServerStats()
  setInterval(pollServerStats, 1000)

  let api
  try {
    traceFetch(timeline, '/auth/refresh-token') // before authfetch loads: it sends through the page's fetch
    api = await createAuthFetch({ refreshURL: '/auth/refresh-token' })
  } catch (err) {
    showFatal(err)
    return
  }
  setModuleState('module loaded', 'ok')
  log('info', 'authfetch loaded')
  wireClient(api)
  const tick = () => {
    renderSession(api)
    renderStats($('client-stats'), CLIENT_STATS, api.stats())
  }
  tick()
  setInterval(tick, 250)
}

main()

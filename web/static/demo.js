// The authfetch demo page: sign in against the demo API, fire requests through api.fetch,
// flip the server's switches, and watch refreshes, queues and retries on the timeline and
// in the log.
import { createAuthFetch } from '/js/authfetch.js'
import { login, logout, wireCookieSwitch } from '/static/account.js'
import { kindOf, log, logDebug, wireLog } from '/static/log.js'
import { renderSwitches, wireSwitches } from '/static/switches.js'
import { createTimeline } from '/static/timeline.js'
import { TRACE, traceFetch } from '/static/trace.js'
import { wireDPoPSwitch, wireThief } from '/static/theft.js'

const $ = (id) => document.getElementById(id)

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
const SERVER_STATS = ['logins', 'refreshCalls', 'reuseDetections', 'graceReplays', 'lostAnswers', 'api401s']

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

// pollServerStats shows the server's counters and switches, and returns them (undefined
// while /demo/stats fails).
async function pollServerStats () {
  try {
    const res = await fetch('/demo/stats')
    const stats = await res.json()
    statsDown = false
    renderStats($('server-stats'), SERVER_STATS, stats)
    renderSwitches(stats)
    $('grace-length').textContent = stats.graceWindowMs > 0 ? `${stats.graceWindowMs / 1000} s` : ''
    return stats
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

function wireClient (api, mode) {
  $('login-form').addEventListener('submit', (e) => login(api, e))
  $('logout').addEventListener('click', () => logout(api))
  wireCookieSwitch(api, mode.cookie)
  wireDPoPSwitch(api, mode.dpop)
  wireThief(api)
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

// clientOptions are the demo client's options. Its debug trace goes to the log. In cookie
// mode the server keeps the refresh token in an HttpOnly cookie: the client stores none,
// sends none, and lets the refresh request carry the cookie. In DPoP mode every request
// carries a proof of the page's key.
function clientOptions (mode) {
  const options = { refreshURL: '/auth/refresh-token', debug: logDebug, dpop: mode.dpop }
  if (mode.cookie) Object.assign(options, { refreshTokenKey: null, refreshInit: { credentials: 'include' } })
  return options
}

// modeName says which modes the client runs in.
function modeName (mode) {
  return [mode.cookie && 'cookie mode', mode.dpop && 'DPoP'].filter(Boolean).join(' · ')
}

async function main () {
  renderStats($('client-stats'), CLIENT_STATS, {})
  renderStats($('server-stats'), SERVER_STATS, {})
  wireLog()
  wireSwitches(pollServerStats)
  const stats = await pollServerStats()
  const mode = { cookie: stats?.refreshCookie === true, dpop: stats?.dpop === true }
  setInterval(pollServerStats, 1000)

  let api
  try {
    traceFetch(timeline, '/auth/refresh-token') // before authfetch loads: it sends through the page's fetch
    api = await createAuthFetch(clientOptions(mode))
  } catch (err) {
    showFatal(err)
    return
  }
  setModuleState(['module loaded', modeName(mode)].filter(Boolean).join(' · '), 'ok')
  log('info', `authfetch loaded ${JSON.stringify(clientOptions(mode), (k, v) => (typeof v === 'function' ? undefined : v))}`)
  wireClient(api, mode)
  const tick = () => {
    renderSession(api)
    renderStats($('client-stats'), CLIENT_STATS, api.stats())
  }
  tick()
  setInterval(tick, 250)
}

main()

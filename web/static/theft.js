// DPoP in the demo: the switch that binds the demo API's tokens to the page's
// key, and the thief: a button that copies the access token out of storage
// and replays it from the server side, without the key, beside a request of
// the page's own that carries a proof.
import { kindOf, log } from '/static/log.js'
import { post } from '/static/switches.js'
import { logout } from '/static/account.js'

const $ = (id) => document.getElementById(id)

/**
 * Wires the DPoP switch. The client's options depend on it (dpop: true), so
 * the page signs out and reloads in the other mode, as the cookie switch does.
 */
export function wireDPoPSwitch (api, dpopMode) {
  for (const b of document.querySelectorAll('[data-dpop]')) {
    b.addEventListener('click', async () => {
      const on = b.dataset.dpop === 'on'
      if (on === dpopMode) return
      await logout(api)
      if (await post('/demo/dpop', { on })) location.reload()
    })
  }
}

/**
 * Wires the thief: POST /demo/replay sends the stored access token to
 * /api/me as a Bearer token, with no proof, from the server side; then the
 * page asks /api/me itself through api.fetch.
 */
export function wireThief (api) {
  $('steal').addEventListener('click', async () => {
    const token = localStorage.getItem('accessToken')
    if (!token) {
      log('warn', 'the thief finds no access token in localStorage: sign in first')
      return
    }
    const res = await fetch('/demo/replay', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }) })
    const got = await res.json()
    log(kindOf(got.status), `the thief copied the access token out of localStorage and replayed it without the key: /api/me → ${got.status}${got.error ? ` (${got.error})` : ''}`)
    const own = await api.fetch('/api/me')
    log(kindOf(own.status), `the page's own GET /api/me, with its key's proof → ${own.status}`)
  })
}

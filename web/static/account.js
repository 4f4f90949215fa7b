// Signing in and out of the demo API, and switching where its refresh token lives.
import { kindOf, log } from '/static/log.js'
import { post } from '/static/switches.js'

const $ = (id) => document.getElementById(id)

/** Signs in with the form's email and password and hands the tokens to api, as a login page does. */
export async function login (api, event) {
  event.preventDefault()
  const email = $('email').value
  try {
    // Through api.fetch: with DPoP it carries a proof, and the server binds
    // the tokens it issues to the page's key.
    const res = await api.fetch('/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: $('password').value })
    })
    const body = await res.json()
    if (!res.ok) {
      log('warn', `POST /auth/login → ${res.status}: ${body.error}`)
      return
    }
    // In cookie mode the answer has no refresh token: the server set it as an HttpOnly cookie.
    const where = body.refreshToken ? 'both tokens stored' : 'the refresh token is in an HttpOnly cookie, out of the page\'s reach'
    log('ok', `POST /auth/login → ${res.status}: signed in as ${email}; ${where}`)
    api.setTokens(body.refreshToken ? { accessToken: body.accessToken, refreshToken: body.refreshToken } : { accessToken: body.accessToken })
  } catch (err) {
    log('bad', `POST /auth/login failed: ${err.message}`)
  }
}

/**
 * Forgets the tokens and ends the session at the server too (POST /auth/logout), which
 * revokes its refresh tokens: the refresh cookie's, or the stored refresh token's.
 */
export async function logout (api) {
  const refreshToken = localStorage.getItem('refreshToken')
  api.clearTokens()
  try {
    const res = await fetch('/auth/logout', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: refreshToken ? JSON.stringify({ refreshToken }) : ''
    })
    log(kindOf(res.status), `signed out: api.clearTokens(), POST /auth/logout → ${res.status}`)
  } catch (err) {
    log('bad', `POST /auth/logout failed: ${err.message}`)
  }
}

/**
 * Wires the switch of where the refresh token lives. The client's options depend on it
 * (cookieMode), so the page signs out and reloads in the other mode.
 */
export function wireCookieSwitch (api, cookieMode) {
  for (const b of document.querySelectorAll('[data-cookie]')) {
    b.addEventListener('click', async () => {
      const on = b.dataset.cookie === 'on'
      if (on === cookieMode) return
      await logout(api)
      if (await post('/demo/refresh-cookie', { on })) location.reload()
    })
  }
}


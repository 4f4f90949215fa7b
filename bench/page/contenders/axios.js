// axios with axios-auth-refresh, set up as its README shows: a request
// interceptor attaches the stored token, and the refresh logic stores the new
// pair and sets the failed request's header. Options are the library's
// defaults (deduplicateRefresh: true). axios uses its XHR adapter here, as it
// does in browsers by default.

import axios from 'axios'
import createAuthRefresh from 'axios-auth-refresh'

export async function setup() {
  const instance = axios.create()
  instance.interceptors.request.use((config) => {
    config.headers.Authorization = `Bearer ${localStorage.getItem('accessToken')}`
    return config
  })
  createAuthRefresh(instance, async (failed) => {
    const { data } = await axios.post('/auth/refresh-token',
      { refreshToken: localStorage.getItem('refreshToken') },
      { skipAuthRefresh: true })
    localStorage.setItem('accessToken', data.accessToken)
    localStorage.setItem('refreshToken', data.refreshToken)
    failed.response.config.headers.Authorization = `Bearer ${data.accessToken}`
  })
  return {
    async request(url) {
      try {
        const res = await instance.get(url) // reads and parses the JSON body
        return res.status
      } catch (err) {
        if (err.response) return err.response.status // axios rejects non-2xx
        throw err
      }
    },
  }
}

// The floor: the browser's fetch with the Authorization header set by hand,
// the token read from localStorage like every other contender. It never
// refreshes.

export async function setup() {
  return {
    async request(url) {
      const res = await fetch(url, {
        headers: { Authorization: `Bearer ${localStorage.getItem('accessToken')}` },
      })
      await res.json()
      return res.status
    },
  }
}

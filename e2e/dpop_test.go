//go:build !js

package e2e

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// DPoP (dpop: true) against an API that binds its tokens to the proof's key:
// the page's requests, refreshes and retries succeed; the same token from
// anywhere else is refused.

// newDPoPTab opens a tab of site with a client made with dpop: true, and
// logs in through api.fetch, which is how the site binds the tokens to the
// tab's key.
func newDPoPTab(t *testing.T, site *dpopSite) *session {
	t.Helper()
	s := &session{t: t, url: site.URL, tab: openTab(t, site.URL+"/page.html")}
	do(t, s.tab, prelude+`localStorage.clear()`)
	s.client(`{ dpop: true }`)
	s.login()
	return s
}

// login posts to /login through api.fetch and stores the answer.
func (s *session) login() {
	s.t.Helper()
	do(s.t, s.tab, `const res = await api.fetch('/login', { method: 'POST' });
		if (!res.ok) throw new Error('login answered ' + res.status);
		api.setTokens(await res.json());`)
}

func TestDPoPBindsTheTokensAtLoginAndProvesEveryRequest(t *testing.T) {
	t.Parallel()
	site := newDPoPSite(t, false)
	s := newDPoPTab(t, site)

	require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/me')`).Status)
	site.revoke()
	for i, o := range s.settleAll(`Array.from({ length: 5 }, (_, i) => api.fetch('/api/item/' + i))`) {
		require.Equal(t, http.StatusOK, o.Status, "request %d: retried with a fresh proof after the refresh", i)
	}
	refreshes, _, _, jkts := site.counts()
	require.Equal(t, 1, refreshes, "the refresh carried a proof of the same key, with rotation")
	for _, jkt := range jkts {
		require.Equal(t, jkts[0], jkt, "every proof is of the one key the login bound")
	}
	s.requireStored(ptr("a2"), ptr("r2"))
}

// The stored token, replayed from outside the page, is refused: as Bearer,
// as DPoP without a proof, and with a proof of another key.
func TestAStolenDPoPTokenIsUselessWithoutTheKey(t *testing.T) {
	t.Parallel()
	site := newDPoPSite(t, false)
	s := newDPoPTab(t, site)
	stolen := *s.stored("accessToken")

	require.Equal(t, http.StatusUnauthorized, site.replay(t, "Bearer", stolen, nil))
	require.Equal(t, http.StatusUnauthorized, site.replay(t, "DPoP", stolen, nil))
	require.Equal(t, http.StatusUnauthorized, site.replay(t, "DPoP", stolen, newAttackerKey(t)))
	require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/me')`).Status, "the page, with the key, still can")
}

// A nonce challenge costs one extra round trip once per origin, not per
// request: the nonce is kept and used from then on.
func TestANonceChallengeCostsOneRoundTripPerOrigin(t *testing.T) {
	t.Parallel()
	site := newDPoPSite(t, true)
	s := newDPoPTab(t, site)

	for i := 0; i < 10; i++ {
		require.Equal(t, http.StatusOK, s.settle(`api.fetch('/api/item/`+string(rune('0'+i))+`')`).Status)
	}
	_, apiCalls, nonceAsks, _ := site.counts()
	require.Equal(t, 1, nonceAsks, "the login's challenge only")
	require.Equal(t, 10, apiCalls, "no request was sent twice")
	require.Equal(t, clientStats{Requests: 11}, s.stats("api"), "a nonce resend is not a retry")
}

// Two tabs of the session share one key: the second tab's proofs are of the
// key the first tab's login bound.
func TestTwoTabsShareOneDPoPKey(t *testing.T) {
	t.Parallel()
	site := newDPoPSite(t, false)
	first := newDPoPTab(t, site)
	second := &session{t: t, url: site.URL, tab: openTab(t, site.URL+"/page.html")}
	do(t, second.tab, prelude)
	second.client(`{ dpop: true }`)

	require.Equal(t, http.StatusOK, second.settle(`api.fetch('/api/me')`).Status)
	require.Equal(t, http.StatusOK, first.settle(`api.fetch('/api/me')`).Status)
}

// The private key cannot be exported: not even the page can read it; and
// clearTokens() discards it.
func TestTheDPoPPrivateKeyCannotBeExported(t *testing.T) {
	t.Parallel()
	site := newDPoPSite(t, false)
	s := newDPoPTab(t, site)

	do(t, s.tab, `e2e.storedKeys = () => new Promise((resolve, reject) => {
		const open = indexedDB.open('authfetch-dpop', 1);
		open.onerror = () => reject(open.error);
		open.onsuccess = () => {
			const get = open.result.transaction('keys').objectStore('keys').getAll();
			get.onsuccess = () => { open.result.close(); resolve(get.result) };
		};
	})`)
	got := eval[outcome](t, s.tab, `const keys = await e2e.storedKeys();
		if (keys.length !== 1) throw new Error(keys.length + ' keys stored');
		return e2e.attempt(() => crypto.subtle.exportKey('jwk', keys[0].privateKey));`)
	require.False(t, got.Resolved, "the private key was exported")
	require.Equal(t, "InvalidAccessError", got.Name)

	// clearTokens() discards it, in the background: wait for the store to empty.
	require.True(t, eval[bool](t, s.tab, `api.clearTokens();
		for (let i = 0; i < 100; i++) {
			if ((await e2e.storedKeys()).length === 0) return true;
			await new Promise((r) => setTimeout(r, 20));
		}
		return false;`), "clearTokens() left the key stored")
}

package core

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// FuzzClientScenario drives one client through a script of ops decoded from
// the fuzzer's bytes: requests of every kind (alone and in concurrent bursts),
// revocations, refresh answers of every outcome, logins, logouts, forced
// refreshes, storage that fails and storage that another tab rewrites. After
// every request and at the end it checks the invariants of the contract
// (docs/contract.md):
//
//   - every Do returns, once, without error (nothing here aborts or fails to
//     send), with the response of its last attempt;
//   - a request is sent at most twice, and twice only when it is replayable,
//     not skipAuthRefresh, carried a token and got a 401;
//   - requests to another origin, and skipAuth requests, never carry a token,
//     and no refresh token is ever sent as a bearer;
//   - at most one refresh call is in flight at a time, and a burst of
//     requests with the same revoked token, answered with success, costs one
//     refresh at most;
//   - each refresh call reports its outcome (refresh, authfailure or
//     refresherror; a call that outlives the refresh timeout reports a
//     refresherror at the timeout and its late outcome), and stats() agree;
//   - no refresh token is sent again once a refresh rotated it: an answer
//     the transport returned complete is never dropped (the server would
//     take the second use for a stolen token and log the user out).
func FuzzClientScenario(f *testing.F) {
	f.Add([]byte{0, 0, 4, 0, 0, 3, 8})
	f.Add([]byte{4, 3, 16, 5, 1, 0, 0, 4, 0, 0, 5, 0, 6, 0, 0})
	f.Add([]byte{4, 5, 2, 0, 0, 5, 0, 0, 0, 4, 5, 4, 3, 12, 5, 6, 8, 0, 0})
	f.Add([]byte{9, 3, 4, 0, 0, 10, 1, 0, 0, 10, 2, 0, 0, 7, 0, 0, 6, 0, 0})
	f.Add([]byte{4, 5, 7, 0, 0, 5, 3, 8, 5, 0, 0, 0, 2, 0, 1, 0, 1, 4})
	f.Add([]byte{11, 4, 3, 20, 5, 5, 4, 11, 3, 9})
	f.Add([]byte{4, 5, 9, 0, 0, 0, 0}) // revoke; fzLateOK; two requests
	f.Fuzz(runScenario)
}

// runScenario runs the script ops (see FuzzClientScenario).
func runScenario(t *testing.T, ops []byte) {
	if len(ops) > 48 {
		ops = ops[:48]
	}
	sc := newScenario(t)
	next := func(i *int) byte {
		*i++
		if *i < len(ops) {
			return ops[*i]
		}
		return 0
	}
	for i := 0; i < len(ops); i++ {
		switch op := ops[i]; op % 12 {
		case 0, 1, 2:
			sc.do(reqKind(op + next(&i)))
		case 3:
			sc.burst(int(next(&i)%24) + 1)
		case 4:
			sc.server.revoke()
		case 5:
			sc.server.setMode(refreshMode(next(&i)) % fzModes)
		case 6:
			sc.login()
		case 7:
			sc.session.ClearTokens()
		case 8:
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_, err := sc.client.Refresh(ctx)
			cancel()
			if err != nil {
				t.Fatalf("Refresh: %v", err)
			}
		case 9:
			b := next(&i)
			sc.storage.failGet.Store(b&1 != 0)
			sc.storage.failSet.Store(b&2 != 0)
		case 10:
			sc.otherTabWrites(next(&i))
		case 11:
			sc.burstWithRevocation(int(next(&i)%16) + 2)
		}
	}
	sc.check()
}

// refreshMode is how the fake refresh endpoint of FuzzClientScenario answers.
type refreshMode int

const (
	fzRotate        refreshMode = iota // 200 with a new pair, when the refresh token is the valid one (else 401)
	fzKeep                             // 200 with a new access token only
	fzTransient503                     // 503
	fzRejected401                      // 401, and the refresh token is revoked
	fzNotJSON                          // 200 that is not JSON
	fzNoAccessToken                    // 200 without an access token
	fzNetworkError                     // no answer
	fzTimeout                          // no answer for ten refresh timeouts, then a network error
	fzPanic                            // the transport panics
	// fzLateOK rotates, and answers 200 with the new pair three refresh
	// timeouts later: the server spent the old refresh token, so the client
	// must keep this answer.
	fzLateOK
	fzModes
)

// fzTimeoutMs is the scenario's refresh timeout.
const fzTimeoutMs = 5 * time.Millisecond

// fzServer is the API and the refresh endpoint of a scenario.
type fzServer struct {
	t *testing.T

	inflight, maxInflight atomic.Int64
	calls                 atomic.Int64

	mu       sync.Mutex
	mode     refreshMode     // guarded by mu
	access   string          // guarded by mu: the valid access token, "" when revoked
	refresh  string          // guarded by mu: the valid refresh token
	n        int             // guarded by mu
	refreshs map[string]bool // guarded by mu: every refresh token ever issued
	spent    map[string]bool // guarded by mu: refresh tokens that a refresh rotated
}

func (s *fzServer) revoke() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.access = ""
}

func (s *fzServer) setMode(m refreshMode) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mode = m
}

// issue makes a new valid pair. s.mu must be held.
func (s *fzServer) issue() Tokens {
	s.n++
	s.access, s.refresh = fmt.Sprint("A", s.n), fmt.Sprint("R", s.n)
	s.refreshs[s.refresh] = true
	return Tokens{s.access, s.refresh}
}

// Post implements RefreshTransport.
func (s *fzServer) Post(ctx context.Context, req RefreshRequest) (RefreshAnswer, error) {
	status, body, err := s.answer(ctx, req.ContentType, req.Body)
	return RefreshAnswer{Status: status, Body: body}, err
}

// answer is the fake endpoint's answer to one refresh.
func (s *fzServer) answer(ctx context.Context, contentType, body string) (int, string, error) {
	s.calls.Add(1)
	n := s.inflight.Add(1)
	defer s.inflight.Add(-1)
	for {
		m := s.maxInflight.Load()
		if n <= m || s.maxInflight.CompareAndSwap(m, n) {
			break
		}
	}
	var req struct{ RefreshToken string }
	if err := json.Unmarshal([]byte(body), &req); err != nil || contentType != "application/json" {
		s.t.Errorf("refresh body %q (%s)", body, contentType)
	}
	s.mu.Lock()
	mode := s.mode
	s.mu.Unlock()
	switch mode {
	case fzTransient503:
		return 503, `{"error":"unavailable"}`, nil
	case fzRejected401:
		s.mu.Lock()
		s.refresh = ""
		s.mu.Unlock()
		return 401, `{"error":"invalid_grant"}`, nil
	case fzNotJSON:
		return 200, `<html>`, nil
	case fzNoAccessToken:
		return 200, `{"ok":true}`, nil
	case fzNetworkError:
		return 0, "", errStorage
	case fzTimeout:
		select {
		case <-ctx.Done():
			return 0, "", ctx.Err()
		case <-time.After(10 * fzTimeoutMs):
			return 0, "", errStorage
		}
	case fzPanic:
		panic("transport exploded")
	case fzLateOK:
		time.Sleep(3 * fzTimeoutMs)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.spent[req.RefreshToken] {
		// A server with reuse detection revokes the whole token family
		// here: the user is logged out although every answer came.
		s.t.Errorf("the refresh token %s was sent again after a refresh rotated it: the client dropped the answer that rotated it", req.RefreshToken)
	}
	if req.RefreshToken == "" || req.RefreshToken != s.refresh {
		return 401, `{"error":"invalid_grant"}`, nil
	}
	if mode != fzKeep {
		s.spent[req.RefreshToken] = true
	}
	tok := s.issue()
	if mode == fzKeep {
		s.refresh = req.RefreshToken
		return 200, fmt.Sprintf(`{"accessToken":%q}`, tok.Access), nil
	}
	return 200, fmt.Sprintf(`{"accessToken":%q,"refreshToken":%q}`, tok.Access, tok.Refresh), nil
}

// reqKind is one kind of request a scenario sends.
type reqKind byte

const (
	kindPlain reqKind = iota
	kindOtherOrigin
	kindSkipAuth
	kindSkipAuthRefresh
	kindNotReplayable
	kindOwnAuthorization
	fzKinds
)

// fzResponse is the answer to one attempt.
type fzResponse struct{ status int }

func (r *fzResponse) Status() int { return r.status }

// fzRequest is one Do of a scenario and what became of its attempts.
type fzRequest struct {
	kind reqKind

	mu      sync.Mutex
	bearers []string      // guarded by mu
	answers []*fzResponse // guarded by mu
}

type scenario struct {
	t       *testing.T
	server  *fzServer
	storage *fzStorage
	session *Session
	client  *Client

	events   sync.Map     // EventKind → *atomic.Int64, adopted refreshes aside
	timeouts atomic.Int64 // refresherror events that report the refresh timeout
}

func newScenario(t *testing.T) *scenario {
	sc := &scenario{t: t, storage: &fzStorage{}}
	sc.server = &fzServer{t: t, refreshs: map[string]bool{}, spent: map[string]bool{}}
	sc.session = NewSession(NewTokenStore(sc.storage, "accessToken", "refreshToken"), parseJSON, nil)
	sc.session.Subscribe(func(ev Event) {
		if ev.Adopted { // tokens that another tab (here: the storage) already had: no call
			return
		}
		n, _ := sc.events.LoadOrStore(ev.Kind, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
		if ev.Kind == EventRefreshError && strings.HasPrefix(ev.Reason, "timed out") {
			sc.timeouts.Add(1)
		}
	})
	sc.client = NewClient(sc.session, ClientConfig{
		AllowedOrigins: []string{apiOrigin},
		RefreshOn:      []int{401},
		Refresh:        RefreshConfig{Transport: sc.server, Format: FormatJSON, Timeout: fzTimeoutMs},
	})
	sc.login()
	return sc
}

func (sc *scenario) eventCount(k EventKind) int64 {
	if n, ok := sc.events.Load(k); ok {
		return n.(*atomic.Int64).Load()
	}
	return 0
}

// login issues a new pair and hands it to the session, as a login page does.
func (sc *scenario) login() {
	sc.server.mu.Lock()
	tok := sc.server.issue()
	sc.server.mu.Unlock()
	sc.session.SetTokens(tok, 0)
}

// otherTabWrites writes the storage behind the session's back: a leftover, the
// valid pair, or nothing.
func (sc *scenario) otherTabWrites(b byte) {
	sc.server.mu.Lock()
	access, refresh := sc.server.access, sc.server.refresh
	sc.server.mu.Unlock()
	switch b % 4 {
	case 0:
		_ = sc.storage.MemoryStorage.Set("accessToken", "undefined")
	case 1:
		_ = sc.storage.MemoryStorage.Set("accessToken", access)
		_ = sc.storage.MemoryStorage.Set("refreshToken", refresh)
	case 2:
		_ = sc.storage.MemoryStorage.Remove("accessToken")
	default:
		_ = sc.storage.MemoryStorage.Set("refreshToken", " null ")
	}
}

// request returns a request of kind k and the record of its attempts.
func (sc *scenario) request(k reqKind) (Request, *fzRequest) {
	rec := &fzRequest{kind: k % fzKinds}
	req := Request{URL: apiOrigin + "/api/item", Replayable: true}
	switch rec.kind {
	case kindOtherOrigin:
		req.URL = otherOrigin + "/api/item"
	case kindSkipAuth:
		req.SkipAuth = true
	case kindSkipAuthRefresh:
		req.SkipAuthRefresh = true
	case kindNotReplayable:
		req.Replayable = false
	case kindOwnAuthorization:
		req.HasAuthorization = true
	}
	req.Send = func(_ context.Context, bearer string) (Response, error) {
		sc.server.mu.Lock()
		ok := bearer != "" && bearer == sc.server.access && Origin(req.URL) == apiOrigin
		sc.server.mu.Unlock()
		res := &fzResponse{status: 401}
		if ok {
			res.status = 200
		}
		rec.mu.Lock()
		rec.bearers = append(rec.bearers, bearer)
		rec.answers = append(rec.answers, res)
		rec.mu.Unlock()
		return res, nil
	}
	return req, rec
}

// do sends one request and checks it.
func (sc *scenario) do(k reqKind) {
	req, rec := sc.request(k)
	sc.await(req, rec)
}

// await runs Do for req in a goroutine, so that a request that never returns
// fails the run instead of hanging it, and checks what it did.
func (sc *scenario) await(req Request, rec *fzRequest) {
	done := make(chan struct{})
	var (
		res Response
		err error
	)
	go func() {
		defer close(done)
		res, err = sc.client.Do(context.Background(), req)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		sc.t.Fatalf("a %v request never returned (lost)", rec.kind)
	}
	if err != nil {
		sc.t.Fatalf("a %v request failed: %v", rec.kind, err)
	}
	sc.checkRequest(res, rec)
}

func (sc *scenario) checkRequest(res Response, rec *fzRequest) {
	sc.t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	n := len(rec.bearers)
	switch {
	case n == 0 || n > 2:
		sc.t.Fatalf("a %v request was sent %d times", rec.kind, n)
	case res != rec.answers[n-1]:
		sc.t.Fatalf("a %v request returned %v, not the answer to its last attempt", rec.kind, res)
	case n == 2 && (rec.kind != kindPlain || rec.bearers[0] == "" || rec.answers[0].status != 401):
		sc.t.Fatalf("a %v request was retried after sending %q and getting %d", rec.kind, rec.bearers[0], rec.answers[0].status)
	}
	for _, b := range rec.bearers {
		if b != "" && (rec.kind == kindOtherOrigin || rec.kind == kindSkipAuth || rec.kind == kindOwnAuthorization) {
			sc.t.Fatalf("a %v request carried the token %q", rec.kind, b)
		}
		sc.server.mu.Lock()
		leaked := sc.server.refreshs[b]
		sc.server.mu.Unlock()
		if leaked {
			sc.t.Fatalf("a %v request carried the refresh token %q as a bearer", rec.kind, b)
		}
	}
}

// burst sends n plain requests at once and checks each.
func (sc *scenario) burst(n int) {
	sc.server.mu.Lock()
	mode := sc.server.mode
	sc.server.mu.Unlock()
	before := sc.server.calls.Load()
	sc.concurrently(n, nil)
	// Every request of the burst went out with the same token (nothing
	// changed it meanwhile), so one successful refresh serves them all.
	if calls := sc.server.calls.Load() - before; (mode == fzRotate || mode == fzKeep) && calls > 1 && !sc.storage.failGet.Load() && !sc.storage.failSet.Load() {
		sc.t.Fatalf("a burst of %d requests cost %d refresh calls", n, calls)
	}
}

// burstWithRevocation sends n plain requests at once and revokes the access
// token while they run.
func (sc *scenario) burstWithRevocation(n int) {
	sc.concurrently(n, sc.server.revoke)
}

func (sc *scenario) concurrently(n int, meanwhile func()) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		req, rec := sc.request(kindPlain)
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc.await(req, rec)
		}()
		if i == n/2 && meanwhile != nil {
			meanwhile()
		}
	}
	wg.Wait()
}

// check checks what the whole scenario did, once the refresh calls that
// outlived their timeout have ended.
func (sc *scenario) check() {
	for deadline := time.Now().Add(5 * time.Second); sc.refreshing(); {
		if time.Now().After(deadline) {
			sc.t.Fatal("a refresh never ended")
		}
		time.Sleep(time.Millisecond)
	}
	if m := sc.server.maxInflight.Load(); m > 1 {
		sc.t.Fatalf("%d refresh calls were in flight at once", m)
	}
	// A call reports its outcome; a refresh that outlives the refresh
	// timeout (its call may not even have started: another tab may hold the
	// lock) reports a refresherror at the timeout, then its late success or
	// rejection, if any.
	calls := sc.server.calls.Load()
	refreshed, rejected, failed := sc.eventCount(EventRefresh), sc.eventCount(EventAuthFailure), sc.eventCount(EventRefreshError)
	if refreshed+rejected+failed-sc.timeouts.Load() > calls || refreshed+rejected+failed < calls {
		sc.t.Fatalf("%d refresh calls fired %d refresh, %d authfailure and %d refresherror events (%d of them timeouts)",
			calls, refreshed, rejected, failed, sc.timeouts.Load())
	}
	st := sc.client.Stats()
	if st.Refreshes != refreshed || st.AuthFailures != rejected || st.RefreshErrors != failed {
		sc.t.Fatalf("stats %+v, events: %d refresh, %d authfailure, %d refresherror", st, refreshed, rejected, failed)
	}
}

// refreshing reports whether the session has a refresh in flight, or the
// server a call.
func (sc *scenario) refreshing() bool {
	return sc.session.flight.current() != nil || sc.server.inflight.Load() > 0
}

func (k reqKind) String() string {
	return [...]string{"plain", "other-origin", "skipAuth", "skipAuthRefresh", "not-replayable", "own-Authorization"}[k%fzKinds]
}

package core

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeTabs is what the tabs of one origin share: a lock and the records of
// spent refresh tokens. Each tab's own storage is separate and never synced,
// the worst case of a localStorage that has not caught up with another tab.
type fakeTabs struct {
	lock      sync.Mutex
	lockErr   error // when set, Exclusive fails with it
	neverLock bool  // when set, the lock is never granted: Exclusive waits for ctx
	hang      bool  // when set, the records never answer: every call waits for ctx

	forgot chan struct{} // receives once per Forget; buffered

	mu    sync.Mutex
	spent map[string]Tokens // guarded by mu
}

func newFakeTabs() *fakeTabs {
	return &fakeTabs{spent: make(map[string]Tokens), forgot: make(chan struct{}, 10)}
}

func (f *fakeTabs) Exclusive(ctx context.Context, fn func()) error {
	if f.lockErr != nil {
		return f.lockErr
	}
	if f.neverLock {
		<-ctx.Done()
		return context.Cause(ctx)
	}
	f.lock.Lock()
	defer f.lock.Unlock()
	fn()
	return nil
}

func (f *fakeTabs) Spent(ctx context.Context, rt string) (Tokens, bool) {
	if f.hang {
		<-ctx.Done()
		return Tokens{}, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.spent[rt]
	return t, ok
}

func (f *fakeTabs) RecordSpent(ctx context.Context, rt string, t Tokens) {
	if f.hang {
		<-ctx.Done()
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.spent[rt] = t
}

func (f *fakeTabs) Forget(context.Context) {
	f.mu.Lock()
	clear(f.spent)
	f.mu.Unlock()
	f.forgot <- struct{}{}
}

// newTab is one tab: its own storage holding tokens, sharing tabs and the
// refresh endpoint tr with the others.
func newTab(t *testing.T, tabs Tabs, tokens Tokens, api *fakeAPI, tr *fakeTransport) *env {
	e := newEnv(t, tokens, "", tr, nil)
	e.api = api
	e.session.ShareWithTabs(tabs)
	return e
}

func TestTabsShareOneRefreshAndTheOthersAdoptItsTokens(t *testing.T) {
	const perTab = 50
	tabs := newFakeTabs()
	api := newFakeAPI("A2")
	tr, release := heldTransport(answer{status: 200, body: `{"accessToken":"A2","refreshToken":"R2"}`})
	tabA := newTab(t, tabs, Tokens{"A1", "R1"}, api, tr)
	tabB := newTab(t, tabs, Tokens{"A1", "R1"}, api, tr)

	var results []<-chan result
	for range perTab {
		results = append(results, goDo(context.Background(), tabA.client, api.request()))
	}
	tr.waitArrived(t, 1) // tab A holds the lock, in the refresh call
	for range perTab {
		results = append(results, goDo(context.Background(), tabB.client, api.request()))
	}
	waitWaiting(t, 2*perTab, tabA.session, tabB.session) // every request of both tabs waits for a refresh
	release()
	for _, ch := range results {
		assert.Equal(t, 200, recv(t, ch).status())
	}

	assert.Equal(t, int64(1), tr.calls.Load(), "one refresh call for both tabs")
	assert.Equal(t, []string{`{"refreshToken":"R1"}`}, tr.sentBodies())
	assert.Equal(t, Tokens{"A2", "R2"}, tabB.tokens(), "tab B stored what tab A got")
	assert.Equal(t, SessionStats{Refreshes: 1}, tabA.session.Stats())
	assert.Equal(t, SessionStats{Adoptions: 1}, tabB.session.Stats())
	assert.Equal(t, []Event{
		{Kind: EventRefresh, AccessToken: "A2", Adopted: true},
		{Kind: EventTokens, AccessToken: "A2"},
	}, tabB.events.all())
}

func TestATabFollowsEveryRotationItMissed(t *testing.T) {
	tabs := newFakeTabs()
	tabs.RecordSpent(context.Background(), "R1", Tokens{"A2", "R2"})
	tabs.RecordSpent(context.Background(), "R2", Tokens{"A3", "R3"})
	api := newFakeAPI("A3")
	tr := newFakeTransport(answer{status: 500})
	tab := newTab(t, tabs, Tokens{"A1", "R1"}, api, tr)

	assert.Equal(t, 200, recv(t, goDo(context.Background(), tab.client, api.request())).status())
	assert.Zero(t, tr.calls.Load(), "no refresh call: R1 and R2 are spent")
	assert.Equal(t, Tokens{"A3", "R3"}, tab.tokens())
	assert.Equal(t, []string{"A1", "A3"}, api.seen())
}

func TestATabAdoptsAnotherTabsRejection(t *testing.T) {
	tabs := newFakeTabs()
	api := newFakeAPI("A2")
	tr := newFakeTransport(answer{status: 401})
	tabA := newTab(t, tabs, Tokens{"A1", "R1"}, api, tr)
	tabB := newTab(t, tabs, Tokens{"A1", "R1"}, api, tr)

	assert.Equal(t, 401, recv(t, goDo(context.Background(), tabA.client, api.request())).status())
	assert.Equal(t, 401, recv(t, goDo(context.Background(), tabB.client, api.request())).status())

	assert.Equal(t, int64(1), tr.calls.Load(), "tab B does not spend R1 again")
	assert.Equal(t, Tokens{}, tabB.tokens())
	assert.Equal(t, []Event{
		{Kind: EventAuthFailure, Reason: "rejected in another tab"},
		{Kind: EventTokens},
	}, tabB.events.all())
}

func TestALockThatCannotBeHadIsATransientFailure(t *testing.T) {
	tabs := newFakeTabs()
	tabs.lockErr = errors.New("TimeoutError: the lock was not granted in time")
	api := newFakeAPI("A2")
	tr := newFakeTransport(answer{status: 200, body: `{"accessToken":"A2"}`})
	tab := newTab(t, tabs, Tokens{"A1", "R1"}, api, tr)

	assert.Equal(t, 401, recv(t, goDo(context.Background(), tab.client, api.request())).status())
	assert.Zero(t, tr.calls.Load())
	assert.Equal(t, Tokens{"A1", "R1"}, tab.tokens(), "tokens kept")
	events := tab.events.all()
	require.Len(t, events, 1)
	assert.Equal(t, EventRefreshError, events[0].Kind)
	assert.Contains(t, events[0].Reason, "waiting for another tab's refresh: TimeoutError")
}

func TestLogoutForgetsTheRecordsOfSpentTokens(t *testing.T) {
	tabs := newFakeTabs()
	tabs.RecordSpent(context.Background(), "R1", Tokens{"A2", "R2"})
	tab := newTab(t, tabs, Tokens{"A2", "R2"}, newFakeAPI("A2"), newFakeTransport(answer{}))

	tab.session.ClearTokens()
	waitSignals(t, tabs.forgot, 1, "Forget")
	_, ok := tabs.Spent(context.Background(), "R1")
	assert.False(t, ok)
}

func TestTokensChangedElsewhereFiresOncePerChange(t *testing.T) {
	tab := newTab(t, OneTab{}, Tokens{"A1", "R1"}, newFakeAPI("A1"), newFakeTransport(answer{}))

	_ = tab.storage.MemoryStorage.Remove("accessToken") // another tab logs out: two keys, two storage events
	tab.session.TokensChangedElsewhere()
	_ = tab.storage.MemoryStorage.Remove("refreshToken")
	tab.session.TokensChangedElsewhere()
	_ = tab.storage.MemoryStorage.Set("accessToken", "A9") // and logs in again
	tab.session.TokensChangedElsewhere()

	assert.Equal(t, []Event{{Kind: EventTokens}, {Kind: EventTokens, AccessToken: "A9"}}, tab.events.all())
}

func TestATokenThatWasNotRotatedIsRefreshedAgainWhenItFails(t *testing.T) {
	tabs := newFakeTabs()
	api := newFakeAPI("A2")
	tr := newFakeTransport(answer{status: 200, body: `{"accessToken":"A2"}`})
	tab := newTab(t, tabs, Tokens{"A1", "R1"}, api, tr)

	assert.Equal(t, 200, recv(t, goDo(context.Background(), tab.client, api.request())).status())
	api.setValid("A3")
	tr.setAnswer(answer{status: 200, body: `{"accessToken":"A3"}`})
	assert.Equal(t, 200, recv(t, goDo(context.Background(), tab.client, api.request())).status())

	assert.Equal(t, int64(2), tr.calls.Load(), "R1 -> A2 is on record, but A2 is the token that failed")
	assert.Equal(t, Tokens{"A3", "R1"}, tab.tokens())
}

func TestATokenReplacedWhileWaitingForTheLockIsAdoptedWithoutACall(t *testing.T) {
	tabs := newFakeTabs()
	api := newFakeAPI("A2")
	tr := newFakeTransport(answer{status: 500})
	tab := newTab(t, tabs, Tokens{"A1", "R1"}, api, tr)

	tabs.lock.Lock() // another tab is refreshing
	done := goDo(context.Background(), tab.client, api.request())
	waitWaiting(t, 1, tab.session)
	_ = tab.storage.MemoryStorage.Set("accessToken", "A2") // its write reaches this tab's storage
	_ = tab.storage.MemoryStorage.Set("refreshToken", "R2")
	tabs.lock.Unlock()

	assert.Equal(t, 200, recv(t, done).status())
	assert.Zero(t, tr.calls.Load(), "R2 is not spent: the token that failed was already replaced")
	assert.Equal(t, []string{"A1", "A2"}, api.seen())
	assert.Equal(t, SessionStats{Adoptions: 1}, tab.session.Stats())
}

// A lock that is never granted bounds the wait: the burst waiting for the
// refresh resolves at the refresh timeout with its own 401s, tokens kept,
// and the refresh itself gives up at timeouts.lock as a transient failure.
func TestALockNeverGrantedHoldsNoRequestPastTheTimeout(t *testing.T) {
	const n = 10
	tabs := newFakeTabs()
	tabs.neverLock = true
	api := newFakeAPI("A2")
	tr := newFakeTransport(answer{status: 200, body: `{"accessToken":"A2"}`})
	tab := newTab(t, tabs, Tokens{"A1", "R1"}, api, tr)
	tab.client.cfg.Refresh.Timeout = 50 * time.Millisecond
	tab.client = NewClient(tab.session, tab.client.cfg)

	results := make([]<-chan result, n)
	for i := range results {
		results[i] = goDo(context.Background(), tab.client, api.request())
	}
	for _, ch := range results {
		assert.Equal(t, 401, recv(t, ch).status())
	}
	assert.Zero(t, tr.calls.Load())
	assert.Equal(t, Tokens{"A1", "R1"}, tab.tokens(), "tokens kept")
	for _, ev := range tab.events.all() {
		assert.NotEqual(t, EventAuthFailure, ev.Kind)
	}
}

// Records that never answer (an IndexedDB open that stays blocked) are gone
// without: the refresh still happens under the lock, and the requests
// waiting for it end 200.
func TestRecordsThatNeverAnswerAreGoneWithout(t *testing.T) {
	tabs := newFakeTabs()
	tabs.hang = true
	api := newFakeAPI("A2")
	tr := newFakeTransport(answer{status: 200, body: `{"accessToken":"A2","refreshToken":"R2"}`})
	tab := newTab(t, tabs, Tokens{"A1", "R1"}, api, tr)
	tab.client.cfg.Refresh.Timeout = 400 * time.Millisecond
	tab.client = NewClient(tab.session, tab.client.cfg)

	for i := 0; i < 3; i++ {
		assert.Equal(t, 200, recv(t, goDo(context.Background(), tab.client, api.request())).status())
	}
	assert.Equal(t, int64(1), tr.calls.Load())
	assert.Equal(t, Tokens{"A2", "R2"}, tab.tokens())
}

// FuzzAdoptFollowsOnlyWhatIsATokenRecord: whatever the records hold (the
// browser's IndexedDB, which another version or a script may have written),
// adopt never panics, and what it adopts is a rejection or valid tokens that
// are not the access token being replaced.
func FuzzAdoptFollowsOnlyWhatIsATokenRecord(f *testing.F) {
	f.Add("R1", "A2", "R2", "R2", "A3", "R3", "A1")
	f.Add("R1", "", "", "", "", "", "A1")
	f.Add("R1", "not a token", "R2", "", "", "", "A1")
	f.Add("R1", "A2", "R1", "", "", "", "A2")
	f.Fuzz(func(t *testing.T, spent1, access1, refresh1, spent2, access2, refresh2, access string) {
		tabs := newFakeTabs()
		ctx := context.Background()
		tabs.RecordSpent(ctx, spent1, Tokens{access1, refresh1})
		tabs.RecordSpent(ctx, spent2, Tokens{access2, refresh2})
		res, ok := adopt(ctx, tabs, spent1, access)
		if !ok {
			return
		}
		switch res.Outcome {
		case Rejected:
		case Refreshed:
			if validToken(res.Tokens.Access) == "" || res.Tokens.Access == access {
				t.Fatalf("adopted %+v in place of %q", res.Tokens, access)
			}
			if validToken(res.Tokens.Refresh) != res.Tokens.Refresh {
				t.Fatalf("adopted a refresh token that is not one: %q", res.Tokens.Refresh)
			}
		default:
			t.Fatalf("adopted an outcome %v", res.Outcome)
		}
	})
}

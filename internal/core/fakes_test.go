package core

import (
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The fakes at each seam of the core: the JSON parser, the API the requests
// go to, the refresh endpoint, the storage and the clock. None of them sleeps:
// tests hold calls on gate channels and learn that something happened from
// signal channels and atomic counters.

const (
	apiOrigin   = "https://api.example.com"
	otherOrigin = "https://evil.example.net"
)

// parseJSON is the ParseJSON seam built on encoding/json (the WebAssembly
// module uses the browser's JSON.parse instead). Like JSON.parse it gives
// numbers as float64; anything but an object reports false.
func parseJSON(text string) (map[string]any, bool) {
	var obj map[string]any
	if err := json.Unmarshal([]byte(text), &obj); err != nil || obj == nil {
		return nil, false
	}
	return obj, true
}

// apiResponse is the fake API's answer to one attempt. Tests compare
// pointers to tell a request's own response from another one.
type apiResponse struct {
	status int
	bearer string // the token the attempt carried
}

func (r *apiResponse) Status() int { return r.status }

// fakeAPI answers 200 to an attempt that carries the currently valid access
// token and 401 to any other, and records the bearer of every attempt.
type fakeAPI struct {
	// unauthorized, when not nil, receives the bearer of every 401, before
	// the 401 is returned. Make it large enough never to block.
	unauthorized chan string
	// arrived, when not nil, receives the bearer of every attempt on arrival;
	// hold, when not nil, keeps every answer back until it is closed. Both
	// are set before use.
	arrived chan string
	hold    chan struct{}

	mu      sync.Mutex
	valid   string   // guarded by mu; "" accepts nothing
	bearers []string // guarded by mu; the bearer of each attempt, in order
}

func newFakeAPI(valid string) *fakeAPI { return &fakeAPI{valid: valid} }

// holdAnswers makes the API keep its answers back until the returned
// function is called; every attempt is signalled on a.arrived meanwhile.
func (a *fakeAPI) holdAnswers(t *testing.T, capacity int) (release func()) {
	a.arrived = make(chan string, capacity)
	a.hold = make(chan struct{})
	var once sync.Once
	release = func() { once.Do(func() { close(a.hold) }) }
	t.Cleanup(release)
	return release
}

// setValid revokes every token but tok.
func (a *fakeAPI) setValid(tok string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.valid = tok
}

// send is a Request.Send.
func (a *fakeAPI) send(_ context.Context, bearer string) (Response, error) {
	if a.arrived != nil {
		a.arrived <- bearer
	}
	if a.hold != nil {
		<-a.hold
	}
	a.mu.Lock()
	a.bearers = append(a.bearers, bearer)
	ok := bearer != "" && bearer == a.valid
	a.mu.Unlock()
	if ok {
		return &apiResponse{status: 200, bearer: bearer}, nil
	}
	if a.unauthorized != nil {
		a.unauthorized <- bearer
	}
	return &apiResponse{status: 401, bearer: bearer}, nil
}

// request returns a replayable request to the API's origin.
func (a *fakeAPI) request() Request {
	return Request{URL: apiOrigin + "/api/item", Replayable: true, Send: a.send}
}

// seen returns the bearers of all attempts so far.
func (a *fakeAPI) seen() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.bearers...)
}

// countSeen returns how many attempts carried each bearer.
func (a *fakeAPI) countSeen() map[string]int {
	n := map[string]int{}
	for _, b := range a.seen() {
		n[b]++
	}
	return n
}

// answer is what the fake refresh endpoint does with a call.
type answer struct {
	status         int
	body           string
	err            error // returned instead of an answer (a network error)
	panic          any   // when not nil, Post panics with it
	blockUntilDone bool  // Post blocks until its ctx is done (a timeout)
}

// fakeTransport is the refresh endpoint.
type fakeTransport struct {
	calls   atomic.Int64
	arrived chan struct{} // receives once per call, on arrival; buffered
	gate    chan struct{} // when not nil, calls wait until it is closed (ctx or not); set before use

	mu           sync.Mutex
	answer       answer   // guarded by mu
	bodies       []string // guarded by mu; the body of each call
	contentTypes []string // guarded by mu; the content type of each call
}

func newFakeTransport(a answer) *fakeTransport {
	return &fakeTransport{answer: a, arrived: make(chan struct{}, 1000)}
}

// held returns a transport whose calls wait until release is called.
func heldTransport(a answer) (tr *fakeTransport, release func()) {
	tr = newFakeTransport(a)
	tr.gate = make(chan struct{})
	var once sync.Once
	return tr, func() { once.Do(func() { close(tr.gate) }) }
}

func (f *fakeTransport) setAnswer(a answer) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answer = a
}

// Post implements RefreshTransport.
func (f *fakeTransport) Post(ctx context.Context, req RefreshRequest) (RefreshAnswer, error) {
	f.calls.Add(1)
	f.mu.Lock()
	f.bodies = append(f.bodies, req.Body)
	f.contentTypes = append(f.contentTypes, req.ContentType)
	f.mu.Unlock()
	f.arrived <- struct{}{}
	if f.gate != nil {
		<-f.gate // even past ctx's end: the test decides when the call ends
	}
	f.mu.Lock()
	a := f.answer
	f.mu.Unlock()
	if a.panic != nil {
		panic(a.panic)
	}
	if a.blockUntilDone {
		<-ctx.Done()
		return RefreshAnswer{}, ctx.Err()
	}
	return RefreshAnswer{Status: a.status, Body: a.body}, a.err
}

func (f *fakeTransport) sentBodies() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.bodies...)
}

func (f *fakeTransport) sentContentTypes() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.contentTypes...)
}

// waitArrived waits for n calls to have arrived.
func (f *fakeTransport) waitArrived(t *testing.T, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		select {
		case <-f.arrived:
		case <-time.After(10 * time.Second):
			t.Fatalf("refresh call %d of %d never arrived", i+1, n)
		}
	}
}

// errStorage is returned by failingStorage.
var errStorage = errors.New("storage: SecurityError")

// failingStorage is a MemoryStorage whose reads or writes fail on demand.
type failingStorage struct {
	MemoryStorage
	failGet, failSet atomic.Bool // failSet also fails Remove
	gets, sets       atomic.Int64
}

func (f *failingStorage) Get(key string) (string, error) {
	f.gets.Add(1)
	if f.failGet.Load() {
		return "", errStorage
	}
	return f.MemoryStorage.Get(key)
}

func (f *failingStorage) Set(key, value string) error {
	f.sets.Add(1)
	if f.failSet.Load() {
		return errStorage
	}
	return f.MemoryStorage.Set(key, value)
}

func (f *failingStorage) Remove(key string) error {
	f.sets.Add(1)
	if f.failSet.Load() {
		return errStorage
	}
	return f.MemoryStorage.Remove(key)
}

// raw returns what the storage itself holds under key, failures aside.
func (f *failingStorage) raw(key string) string {
	v, _ := f.MemoryStorage.Get(key)
	return v
}

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	// ticks, when not nil, makes every reading signal on reads, then wait
	// for a value on ticks (or for it to be closed), so a test can let
	// readers through one at a time. Set before use.
	ticks, reads chan struct{}

	mu  sync.Mutex
	now time.Time // guarded by mu
}

var epoch = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

func newFakeClock() *fakeClock { return &fakeClock{now: epoch} }

func (c *fakeClock) Now() time.Time {
	if c.ticks != nil {
		c.reads <- struct{}{}
		<-c.ticks
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// recorder records what a callback is given: a session's events, decisions.
type recorder[T any] struct {
	mu  sync.Mutex
	got []T // guarded by mu
}

func (r *recorder[T]) record(v T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, v)
}

func (r *recorder[T]) all() []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]T(nil), r.got...)
}

// eventLog records a session's events.
type eventLog = recorder[Event]

// env is a session over a failing storage with one client, a fake API and a
// fake refresh endpoint.
type env struct {
	clock     *fakeClock
	storage   *failingStorage
	store     *TokenStore
	session   *Session
	client    *Client
	api       *fakeAPI
	transport *fakeTransport
	events    *eventLog
}

// newEnv stores tokens, makes the API accept only valid, and builds a client
// with the default options (leeway 0 unless cfg says otherwise).
func newEnv(t *testing.T, tokens Tokens, valid string, tr *fakeTransport, cfg func(*ClientConfig)) *env {
	t.Helper()
	e := &env{
		clock:     newFakeClock(),
		storage:   &failingStorage{},
		api:       newFakeAPI(valid),
		transport: tr,
		events:    &eventLog{},
	}
	if tokens.Access != "" {
		_ = e.storage.MemoryStorage.Set("accessToken", tokens.Access)
	}
	if tokens.Refresh != "" {
		_ = e.storage.MemoryStorage.Set("refreshToken", tokens.Refresh)
	}
	e.store = NewTokenStore(e.storage, "accessToken", "refreshToken")
	e.session = NewSession(e.store, parseJSON, e.clock.Now)
	t.Cleanup(e.session.Subscribe(e.events.record))
	cc := ClientConfig{
		AllowedOrigins: []string{apiOrigin},
		RefreshOn:      []int{401},
		Refresh:        RefreshConfig{Transport: tr, Format: FormatJSON},
		QueuesBeyond:   BrowserConnectionsPerOrigin,
	}
	if cfg != nil {
		cfg(&cc)
	}
	e.client = NewClient(e.session, cc)
	return e
}

// tokens returns what the session's store holds now.
func (e *env) tokens() Tokens {
	return Tokens{Access: e.store.Access(), Refresh: e.store.Refresh()}
}

// result is what one Do returned.
type result struct {
	res Response
	err error
}

func (r result) status() int {
	if r.res == nil {
		return 0
	}
	return r.res.Status()
}

// goDo runs Do in a goroutine and returns the channel its result comes on.
func goDo(ctx context.Context, c *Client, req Request) <-chan result {
	ch := make(chan result, 1)
	go func() {
		res, err := c.Do(ctx, req)
		ch <- result{res, err}
	}()
	return ch
}

// recv returns the result on ch, failing the test when none comes.
func recv(t *testing.T, ch <-chan result) result {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("request never returned")
		return result{}
	}
}

// waitSignals receives n values from ch.
func waitSignals[T any](t *testing.T, ch <-chan T, n int, what string) []T {
	t.Helper()
	got := make([]T, 0, n)
	for i := 0; i < n; i++ {
		select {
		case v := <-ch:
			got = append(got, v)
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d of %d %s arrived", i, n, what)
		}
	}
	return got
}

// waitWaiting waits until n goroutines of sessions wait for a refresh in
// flight, as the flights count them. It is how a test knows, without
// sleeping, that requests are queued behind a refresh it holds: while the
// refresh is held no goroutine can stop waiting, so the count only grows.
func waitWaiting(t *testing.T, n int, sessions ...*Session) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := 0
		for _, s := range sessions {
			got += int(s.flight.waiting.Load())
		}
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines wait for the refresh, want %d", got, n)
		}
		runtime.Gosched()
	}
}

// withoutReasons returns events with Reason blanked, after checking that
// every authfailure and refresherror has one.
func withoutReasons(t *testing.T, events []Event) []Event {
	t.Helper()
	out := make([]Event, len(events))
	for i, ev := range events {
		if (ev.Kind == EventAuthFailure || ev.Kind == EventRefreshError) && ev.Reason == "" {
			t.Errorf("event %d (%s) has no reason", i, ev.Kind)
		}
		ev.Reason = ""
		out[i] = ev
	}
	return out
}

package core

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseHTTPDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"Sun, 06 Nov 1994 08:49:37 GMT", time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)},
		{"Thu, 03 Dec 2026 23:59:60 GMT", time.Date(2026, 12, 3, 23, 59, 60, 0, time.UTC)},
		{"Sunday, 06-Nov-94 08:49:37 GMT", time.Time{}}, // RFC 850: obsolete
		{"Sun Nov  6 08:49:37 1994", time.Time{}},       // asctime: obsolete
		{"Sun, 06 Nov 1994 08:49:37 UTC", time.Time{}},
		{"Sun, 06 Xyz 1994 08:49:37 GMT", time.Time{}},
		{"Sun, 32 Nov 1994 08:49:37 GMT", time.Time{}},
		{"Sun, 06 Nov 1994 24:49:37 GMT", time.Time{}},
		{"Sun, 0x Nov 1994 08:49:37 GMT", time.Time{}},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, parseHTTPDate(tt.in), tt.in)
	}
}

// FuzzParseHTTPDate: any text parses without a panic, and every time that
// net/http writes as a Date parses back to itself.
func FuzzParseHTTPDate(f *testing.F) {
	f.Add("Sun, 06 Nov 1994 08:49:37 GMT", int64(784111777))
	f.Add("Mon, 29 Feb 2027 00:00:00 GMT", int64(0))
	f.Add("", int64(253402300799))
	f.Fuzz(func(t *testing.T, s string, unix int64) {
		parseHTTPDate(s)
		when := time.Unix(unix%253402300800, 0).UTC()
		if when.Year() < 0 {
			return
		}
		text := when.Format(http.TimeFormat)
		if got := parseHTTPDate(text); !got.Equal(when) {
			t.Fatalf("%q parsed as %v, want %v", text, got, when)
		}
	})
}

// skewedIssuer is a refresh endpoint whose clock is the device's minus skew:
// it issues JWTs that live ttl by its own clock, and says its time in Date.
type skewedIssuer struct {
	device *fakeClock
	skew   time.Duration
	ttl    time.Duration
	api    *fakeAPI

	mu    sync.Mutex
	calls int
}

func (s *skewedIssuer) serverNow() time.Time { return s.device.Now().Add(-s.skew) }

func (s *skewedIssuer) issue() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	tok := jwtWithExp(fmt.Sprint("t", s.calls), s.serverNow().Add(s.ttl))
	s.api.setValid(tok)
	return tok
}

func (s *skewedIssuer) Post(context.Context, RefreshRequest) (RefreshAnswer, error) {
	tok := s.issue()
	return RefreshAnswer{Status: 200, Body: fmt.Sprintf(`{"accessToken":%q,"refreshToken":"R"}`, tok), Date: s.serverNow().Format(http.TimeFormat)}, nil
}

// A device clock hours wrong costs at most one extra refresh, never one per
// request, and after a refresh an expiring token is caught ahead of time by
// the server's clock.
func TestAWrongDeviceClockCostsAtMostOneRefresh(t *testing.T) {
	for _, skew := range []time.Duration{2 * time.Hour, -2 * time.Hour, 0} {
		t.Run(fmt.Sprint("device off by ", skew), func(t *testing.T) {
			e := newEnv(t, Tokens{}, "", newFakeTransport(answer{}), func(c *ClientConfig) { c.Leeway = 30 * time.Second })
			issuer := &skewedIssuer{device: e.clock, skew: skew, ttl: 10 * time.Minute, api: e.api}
			e.client.cfg.Refresh.Transport = issuer
			e.client = NewClient(e.session, e.client.cfg)
			e.session.SetTokens(Tokens{issuer.issue(), "R"}, 0) // the login

			for i := 0; i < 20; i++ {
				require.Equal(t, 200, e.do(e.api.request()).Status(), "request %d", i)
				e.clock.Advance(time.Second)
			}
			assert.LessOrEqual(t, issuer.calls-1, 1, "refreshes over 20 requests")

			// 20 s before the current token expires by the server's clock, a
			// request refreshes ahead instead of earning a 401.
			ok, err := e.client.Refresh(context.Background())
			require.NoError(t, err)
			require.True(t, ok)
			before := issuer.calls
			e.clock.Advance(issuer.ttl - 20*time.Second)
			require.Equal(t, 200, e.do(e.api.request()).Status())
			assert.Equal(t, before+1, issuer.calls, "refreshed ahead of expiry")
			assert.NotContains(t, e.api.seen()[len(e.api.seen())-1:], "", "the last request carried a token")
		})
	}
}

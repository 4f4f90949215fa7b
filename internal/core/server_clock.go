package core

import (
	"sync/atomic"
	"time"
)

// serverClock tells the time by the server's clock: the device's clock,
// corrected by the offset the last refresh answer showed. A device clock that
// is hours wrong would otherwise make every JWT look expired (a refresh
// before every request) or never expiring (a stream of 401s); tokens'
// expiry is the server's word, so it is judged by the server's clock.
type serverClock struct {
	device func() time.Time
	offset atomic.Int64 // nanoseconds to add to the device's clock
}

// now is the server's time as far as the clock knows.
func (c *serverClock) now() time.Time {
	return c.device().Add(time.Duration(c.offset.Load()))
}

// learn takes the offset from a refresh answer that arrived at arrived (by
// the device's clock). The answer's Date header tells the server's time to
// the second; without it, a JWT exp and the expiresIn that came with it tell
// when the server issued the token. An answer that tells neither changes
// nothing.
func (c *serverClock) learn(res RefreshResult, jwtExp time.Time) {
	var server time.Time
	switch {
	case res.Arrived.IsZero():
		return
	case !res.ServerDate.IsZero():
		server = res.ServerDate.Add(time.Second / 2) // Date is truncated to the second
	case res.ExpiresIn > 0 && !jwtExp.IsZero():
		server = jwtExp.Add(-res.ExpiresIn)
	default:
		return
	}
	c.offset.Store(int64(server.Sub(res.Arrived)))
}

// months are the month names of an HTTP-date.
var months = map[string]time.Month{
	"Jan": time.January, "Feb": time.February, "Mar": time.March, "Apr": time.April,
	"May": time.May, "Jun": time.June, "Jul": time.July, "Aug": time.August,
	"Sep": time.September, "Oct": time.October, "Nov": time.November, "Dec": time.December,
}

// parseHTTPDate reads an IMF-fixdate (RFC 9110 section 5.6.7), the form
// every server sends in Date: "Sun, 06 Nov 1994 08:49:37 GMT". It reads by
// hand, because time.Parse would link the layout machinery into the module
// for one header. Anything else gives the zero time.
func parseHTTPDate(s string) time.Time {
	if len(s) != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
		s[19] != ':' || s[22] != ':' || s[25:] != " GMT" {
		return time.Time{}
	}
	month, ok := months[s[8:11]]
	day, ok1 := digits(s[5:7])
	year, ok2 := digits(s[12:16])
	hour, ok3 := digits(s[17:19])
	minute, ok4 := digits(s[20:22])
	second, ok5 := digits(s[23:25])
	if !ok || !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 {
		return time.Time{}
	}
	return time.Date(year, month, day, hour, minute, second, 0, time.UTC)
}

// digits reads a run of decimal digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

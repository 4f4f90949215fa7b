package core

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Clients of one key share a session until the last of them leaves; then the
// session is closed and forgotten, and the next client opens a new one.
func TestRegistrySharesASessionUntilItsLastClientLeaves(t *testing.T) {
	var r Registry
	opened, closed := 0, 0
	open := func() (*Session, func()) {
		opened++
		return NewSession(NewTokenStore(&MemoryStorage{}, "a", "r"), parseJSON, nil), func() { closed++ }
	}
	s1, leave1 := r.Join("k", open)
	s2, leave2 := r.Join("k", open)
	other, leaveOther := r.Join("other", open)
	require.Same(t, s1, s2)
	require.NotSame(t, s1, other)
	require.Equal(t, 2, opened)

	leave1()
	leave1() // a second leave of the same client changes nothing
	assert.Zero(t, closed, "one client is still in the session")
	leave2()
	assert.Equal(t, 1, closed)

	s3, leave3 := r.Join("k", open)
	assert.NotSame(t, s1, s3, "a new session after the last client left")
	leave3()
	leaveOther()
	assert.Equal(t, 3, closed)
	assert.Empty(t, r.byKey)
}

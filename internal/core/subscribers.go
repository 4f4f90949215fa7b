package core

import (
	"slices"
	"sync"
)

// subscribers calls each function that subscribed with a value, in the
// order they subscribed. It is safe for concurrent use; the zero value is
// ready to use.
type subscribers[T any] struct {
	mu     sync.Mutex
	fns    []subscriber[T] // guarded by mu
	nextID int             // guarded by mu
}

type subscriber[T any] struct {
	id int
	fn func(T)
}

// add subscribes fn until the returned function is called.
func (s *subscribers[T]) add(fn func(T)) (remove func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextID
	s.nextID++
	s.fns = append(s.fns, subscriber[T]{id, fn})
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.fns = slices.DeleteFunc(s.fns, func(f subscriber[T]) bool { return f.id == id })
	}
}

// call calls every subscriber with v, outside the lock, so that one may
// subscribe or unsubscribe.
func (s *subscribers[T]) call(v T) {
	s.mu.Lock()
	fns := s.fns
	s.mu.Unlock()
	for _, f := range fns {
		f.fn(v)
	}
}

// empty reports whether no one subscribed, so that a caller can skip
// making a value no one hears.
func (s *subscribers[T]) empty() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.fns) == 0
}

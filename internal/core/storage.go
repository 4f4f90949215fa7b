package core

import "sync"

// Storage is where the tokens live between page loads: localStorage,
// sessionStorage or memory. Get returns "" for a missing key. Any method may
// fail (private mode, quota, a storage that throws); TokenStore then falls back
// to memory.
type Storage interface {
	Get(key string) (string, error)
	Set(key, value string) error
	Remove(key string) error
}

// MemoryStorage is a Storage that keeps values in a map. It never fails. The
// zero value is ready to use and safe for concurrent use.
type MemoryStorage struct {
	mu     sync.Mutex
	values map[string]string // guarded by mu
}

// Get returns the value stored under key, or "".
func (m *MemoryStorage) Get(key string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.values[key], nil
}

// Set stores value under key.
func (m *MemoryStorage) Set(key, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.values == nil {
		m.values = make(map[string]string)
	}
	m.values[key] = value
	return nil
}

// Remove deletes key.
func (m *MemoryStorage) Remove(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.values, key)
	return nil
}

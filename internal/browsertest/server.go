//go:build !js

package browsertest

import (
	"fmt"
	"net"
	"net/http"
	"time"
)

// Server is an HTTP server on a free port of 127.0.0.1, never on another
// interface: the fakes log anyone in.
type Server struct {
	URL string // http://127.0.0.1:port
	srv *http.Server
}

// Serve serves h on 127.0.0.1 until Close.
func Serve(h http.Handler) (*Server, error) {
	l, err := Listen()
	if err != nil {
		return nil, err
	}
	s := &Server{URL: "http://" + l.Addr().String(), srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}}
	go s.srv.Serve(l)
	return s, nil
}

// Close stops the server and closes every connection, which ends the
// requests that a handler still holds.
func (s *Server) Close() { s.srv.Close() }

// Listen listens on a free port of 127.0.0.1.
func Listen() (net.Listener, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("browsertest: listening on 127.0.0.1: %w", err)
	}
	return l, nil
}

// RefusingURL returns the URL of a port of 127.0.0.1 where nothing listens:
// a connection to it is refused, which fetch reports as a network error.
func RefusingURL() (string, error) {
	l, err := Listen()
	if err != nil {
		return "", err
	}
	defer l.Close()
	return "http://" + l.Addr().String(), nil
}

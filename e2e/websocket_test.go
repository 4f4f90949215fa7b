//go:build !js

package e2e

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"testing"
	"time"

	"github.com/authfetch/authfetch/internal/browsertest"
	"github.com/stretchr/testify/require"
)

// The README's WebSocket recipe: a socket that cannot send an Authorization
// header authenticates with getValidAccessToken(), which refreshes first
// when the token is about to expire.
const webSocketRecipe = `
const token = await api.getValidAccessToken()
const socket = new WebSocket(new URL('/ws?access_token=' + encodeURIComponent(token), location.href).href.replace(/^http/, 'ws'))
`

func TestAWebSocketAuthenticatesWithAValidAccessToken(t *testing.T) {
	t.Parallel()
	soon := browsertest.UnsignedJWT(timeIn(10), "soon")
	files := http.NewServeMux()
	files.Handle("/", harness.Files())
	s := &session{t: t}
	s.api, s.url = newFakeAPI(t, files)
	files.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		if access, _ := s.api.Tokens(); r.URL.Query().Get("access_token") != access {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		greet(t, w, r, "hello "+r.URL.Query().Get("access_token"))
	})
	s.tab = openTab(t, s.url+"/page.html")
	do(t, s.tab, prelude+`localStorage.setItem('accessToken', `+jsValue(soon)+`); localStorage.setItem('refreshToken', 'r1')`)
	s.api.SetTokens(soon, "r1")
	s.client(`{}`)

	got := eval[string](t, s.tab, webSocketRecipe+`
		return await new Promise((resolve, reject) => {
			socket.onmessage = (e) => { resolve(e.data); socket.close() };
			socket.onerror = () => reject(new Error('the socket was refused'));
		});`)
	require.Equal(t, "hello a2", got, "the token was refreshed before the socket opened")
	require.Equal(t, 1, s.api.RefreshCalls())
}

// greet accepts a WebSocket handshake (RFC 6455 section 4.2) and sends one
// text message; the page closes the socket.
func greet(t *testing.T, w http.ResponseWriter, r *http.Request, message string) {
	sum := sha1.Sum([]byte(r.Header.Get("Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijacking the WebSocket handshake: %v", err)
		return
	}
	defer conn.Close()
	rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: " + base64.StdEncoding.EncodeToString(sum[:]) + "\r\n\r\n")
	rw.Write(append([]byte{0x81, byte(len(message))}, message...)) // FIN, text; short unmasked payload
	rw.Flush()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	bufio.NewReader(conn).ReadByte() // the page's close frame
}

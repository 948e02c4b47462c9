package graphiqltest

import (
	"bufio"
	"bytes"
	"net"
	"net/url"
	"strings"
	"testing"
)

func TestFrameRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 125, 126, 127, 65535, 65536, 200000} {
		payload := bytes.Repeat([]byte("x"), n)
		frame := appendFrame(nil, opText, payload)
		if frame[1]&0x80 == 0 {
			t.Fatalf("%d bytes: client frame not masked", n)
		}
		fin, op, got, err := readFrame(bufio.NewReader(bytes.NewReader(frame)), maxMessage)
		if err != nil || !fin || op != opText || !bytes.Equal(got, payload) {
			t.Errorf("%d bytes: fin %v op %d len %d err %v", n, fin, op, len(got), err)
		}
	}
	if _, _, _, err := readFrame(bufio.NewReader(bytes.NewReader(appendFrame(nil, opText, make([]byte, 100)))), 99); err == nil {
		t.Error("oversized frame accepted")
	}
}

// serverFrame builds an unmasked frame as a server sends it.
func serverFrame(fin bool, op byte, p string) []byte {
	b0 := op
	if fin {
		b0 |= 0x80
	}
	return append([]byte{b0, byte(len(p))}, p...)
}

func TestReadMessageFragmentsAndPing(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	defer server.Close()
	ws := &wsConn{conn: client, br: bufio.NewReader(client)}

	go func() {
		var in []byte
		in = append(in, serverFrame(false, opText, `{"id":`)...)
		in = append(in, serverFrame(true, opPing, "hi")...)
		in = append(in, serverFrame(true, opContinuation, `1}`)...)
		server.Write(in)
	}()
	pong := make(chan []byte, 1)
	go func() {
		_, op, p, err := readFrame(bufio.NewReader(server), maxMessage)
		if err == nil && op == opPong {
			pong <- p
		}
		close(pong)
	}()
	msg, err := ws.ReadMessage()
	if err != nil || string(msg) != `{"id":1}` {
		t.Fatalf("ReadMessage = %q, %v", msg, err)
	}
	if p := <-pong; string(p) != "hi" {
		t.Errorf("pong payload %q, want hi", p)
	}
}

func TestHandshakeRejectsBadAccept(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	go func() {
		br := bufio.NewReader(server)
		for {
			line, err := br.ReadString('\n')
			if err != nil || strings.TrimSpace(line) == "" {
				break
			}
		}
		server.Write([]byte("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: wrong\r\n\r\n"))
		server.Close()
	}()
	if _, err := handshake(client, mustURL(t, "ws://127.0.0.1:9/devtools/browser/x")); err == nil {
		t.Error("handshake accepted a wrong Sec-WebSocket-Accept")
	}
}

func TestOutsideHost(t *testing.T) {
	reqs := []string{
		"http://127.0.0.1:8080/graphiql/", "data:font/woff2;base64,AAAA…", "http://127.0.0.1:9999/other-port",
		"https://unpkg.com/graphiql", "ws://127.0.0.1:8080/graphql", "about:blank",
	}
	if got := OutsideHost(reqs, "127.0.0.1:8080"); len(got) != 2 || got[0] != reqs[2] || got[1] != reqs[3] {
		t.Errorf("OutsideHost(host:port) = %q", got)
	}
	if got := OutsideHost(reqs, "127.0.0.1"); len(got) != 1 || got[0] != reqs[3] {
		t.Errorf("OutsideHost(host) = %q", got)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

package netguard

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"
)

func TestAllowed(t *testing.T) {
	for addr, want := range map[string]bool{
		"8.8.8.8": true, "2001:4860:4860::8888": true, "103.3.60.10": true,
		"127.0.0.1": false, "::1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "fe80::1": false, "fc00::1": false, "0.0.0.0": false, "::": false,
		"100.64.0.1": false, "::ffff:127.0.0.1": false, "::ffff:10.0.0.1": false, "224.0.0.1": false,
		"255.255.255.255": false, "64:ff9b::a00:1": false,
	} {
		if got := Allowed(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Allowed(%s) = %v, want %v", addr, got, want)
		}
	}
}

// TestDialerRefusesLoopbackByName dials a real listener on 127.0.0.1 by the
// name "localhost": refused after resolution, and allowed when private
// addresses are.
func TestDialerRefusesLoopbackByName(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	for _, allow := range []bool{false, true} {
		c := &http.Client{Transport: &http.Transport{DialContext: Dialer(time.Second, allow).DialContext}}
		req, _ := http.NewRequestWithContext(context.Background(), "GET", "http://localhost:"+port+"/", nil)
		resp, err := c.Do(req)
		if allow {
			if err != nil {
				t.Fatalf("allowed: %v", err)
			}
			resp.Body.Close()
			continue
		}
		if !errors.Is(err, ErrRefused) {
			t.Fatalf("loopback by name: err = %v, want ErrRefused", err)
		}
	}
}

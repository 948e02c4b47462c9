package httpapi

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"
)

func TestClientIP(t *testing.T) {
	s := &Server{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:ffff::/48")}}
	cases := []struct {
		name, peer string
		headers    map[string]string
		want       string
	}{
		{"no proxy", "198.51.100.7:5000", nil, "198.51.100.7"},
		{"untrusted peer's header is ignored", "198.51.100.7:5000", map[string]string{"X-Forwarded-For": "192.0.2.1"}, "198.51.100.7"},
		{"trusted proxy, X-Forwarded-For", "10.1.2.3:5000", map[string]string{"X-Forwarded-For": "192.0.2.1"}, "192.0.2.1"},
		{"spoofed left entries are skipped", "10.1.2.3:5000", map[string]string{"X-Forwarded-For": "1.1.1.1, 192.0.2.1"}, "192.0.2.1"},
		{"chain of trusted proxies", "10.1.2.3:5000", map[string]string{"X-Forwarded-For": "192.0.2.1, 10.9.9.9, 10.8.8.8"}, "192.0.2.1"},
		{"only proxies: the leftmost", "10.1.2.3:5000", map[string]string{"X-Forwarded-For": "10.9.9.9, 10.8.8.8"}, "10.9.9.9"},
		{"two header lines", "10.1.2.3:5000", map[string]string{"X-Forwarded-For": "1.1.1.1\n192.0.2.1"}, "192.0.2.1"},
		{"port in X-Forwarded-For", "10.1.2.3:5000", map[string]string{"X-Forwarded-For": "192.0.2.1:4711"}, "192.0.2.1"},
		{"garbage stops the walk at the proxy", "10.1.2.3:5000", map[string]string{"X-Forwarded-For": "192.0.2.1, nonsense, 10.8.8.8"}, "10.8.8.8"},
		{"garbage at the right: the peer", "10.1.2.3:5000", map[string]string{"X-Forwarded-For": "nonsense"}, "10.1.2.3"},
		{"Forwarded", "10.1.2.3:5000", map[string]string{"Forwarded": `for=1.1.1.1, for=192.0.2.60;proto=http;by=10.1.2.3`}, "192.0.2.60"},
		{"Forwarded, IPv6 with port", "10.1.2.3:5000", map[string]string{"Forwarded": `for="[2001:db8:cafe::17]:4711"`}, "2001:db8:cafe::17"},
		{"Forwarded, quoted comma", "10.1.2.3:5000", map[string]string{"Forwarded": `for=192.0.2.9;x="a,b", for=192.0.2.60`}, "192.0.2.60"},
		{"Forwarded unknown", "10.1.2.3:5000", map[string]string{"Forwarded": `for=unknown`}, "10.1.2.3"},
		{"headers agree", "10.1.2.3:5000", map[string]string{"Forwarded": `for=192.0.2.60`, "X-Forwarded-For": "192.0.2.60"}, "192.0.2.60"},
		{"headers disagree: the peer", "10.1.2.3:5000", map[string]string{"Forwarded": `for=192.0.2.60`, "X-Forwarded-For": "192.0.2.61"}, "10.1.2.3"},
		{"IPv6 peer trusted", "[2001:db8:ffff::1]:5000", map[string]string{"X-Forwarded-For": "2001:db8:1::5"}, "2001:db8:1::5"},
		{"IPv4-mapped peer", "[::ffff:10.1.2.3]:5000", map[string]string{"X-Forwarded-For": "192.0.2.1"}, "192.0.2.1"},
	}
	for _, c := range cases {
		r := &http.Request{RemoteAddr: c.peer, Header: http.Header{}}
		for k, v := range c.headers {
			for _, line := range strings.Split(v, "\n") {
				r.Header.Add(k, line)
			}
		}
		if got := s.clientIP(r); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	none := &Server{}
	r := &http.Request{RemoteAddr: "10.1.2.3:5000", Header: http.Header{"X-Forwarded-For": {"192.0.2.1"}}}
	if got := none.clientIP(r); got != "10.1.2.3" {
		t.Errorf("without trusted proxies: %q, want the peer", got)
	}
}

package httpapi

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientIP is the address a request is counted by (bad-key throttling).
// It is the peer's address, unless the peer is a trusted proxy
// (Server.TrustedProxies): then the forwarding header names the client,
// read from the right, skipping the trusted proxies on the way. A client
// can write anything at the left of the header; only what trusted proxies
// appended is believed.
//
// Forwarded (RFC 7239) and X-Forwarded-For are both read. When a request
// carries both and they name different clients, the peer is used: one of
// them was written by the client (a proxy that appends to one header
// passes the other through), and the throttle then counts the proxy,
// which fails safe (valid keys pass a throttle anyway).
func (s *Server) clientIP(r *http.Request) string {
	peer := peerAddr(r)
	if !s.trusted(peer) {
		return addrString(peer, r.RemoteAddr)
	}
	fwd, fok := s.fromChain(forwardedFor(r.Header.Values("Forwarded")))
	xff, xok := s.fromChain(xForwardedFor(r.Header.Values("X-Forwarded-For")))
	switch {
	case fok && xok && fwd != xff:
		return peer.String()
	case fok:
		return fwd.String()
	case xok:
		return xff.String()
	}
	return peer.String()
}

func peerAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

func addrString(a netip.Addr, raw string) string {
	if a.IsValid() {
		return a.String()
	}
	return raw
}

func (s *Server) trusted(a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// fromChain walks a forwarding chain (client first, nearest proxy last)
// from the right and returns the first address that is not a trusted
// proxy. An entry that is no address (garbage, "unknown", an obfuscated
// name) stops the walk: the hop to its right, a trusted proxy, is returned.
// ok is false for an empty chain.
func (s *Server) fromChain(chain []string) (netip.Addr, bool) {
	var last netip.Addr
	for i := len(chain) - 1; i >= 0; i-- {
		a, err := parseNode(chain[i])
		if err != nil {
			return last, last.IsValid()
		}
		if !s.trusted(a) {
			return a, true
		}
		last = a
	}
	return last, last.IsValid()
}

// parseNode reads an address as forwarding headers write it: 192.0.2.1,
// 192.0.2.1:4711, [2001:db8::1], [2001:db8::1]:4711 or 2001:db8::1.
func parseNode(v string) (netip.Addr, error) {
	v = strings.TrimSpace(v)
	if ap, err := netip.ParseAddrPort(v); err == nil {
		return ap.Addr().Unmap(), nil
	}
	v = strings.TrimSuffix(strings.TrimPrefix(v, "["), "]")
	a, err := netip.ParseAddr(v)
	return a.Unmap(), err
}

// xForwardedFor splits X-Forwarded-For header lines into one chain.
func xForwardedFor(lines []string) []string {
	var out []string
	for _, l := range lines {
		for _, v := range strings.Split(l, ",") {
			out = append(out, strings.TrimSpace(v))
		}
	}
	return out
}

// forwardedFor returns the for= node of each element of Forwarded header
// lines (RFC 7239: elements separated by commas, pairs by semicolons,
// values tokens or quoted strings). An element without for= yields "",
// which is no address and stops the walk there.
func forwardedFor(lines []string) []string {
	var out []string
	for _, l := range lines {
		for _, elem := range splitQuoted(l, ',') {
			node := ""
			for _, pair := range splitQuoted(elem, ';') {
				k, v, _ := strings.Cut(pair, "=")
				if strings.EqualFold(strings.TrimSpace(k), "for") {
					node = unquote(strings.TrimSpace(v))
				}
			}
			out = append(out, node)
		}
	}
	return out
}

// splitQuoted splits s at sep outside double quotes.
func splitQuoted(s string, sep byte) []string {
	var out []string
	quoted, escaped, start := false, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case escaped:
			escaped = false
		case c == '\\' && quoted:
			escaped = true
		case c == '"':
			quoted = !quoted
		case c == sep && !quoted:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func unquote(v string) string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
		return strings.ReplaceAll(v, `\`, "")
	}
	return v
}

// ParseProxies reads a comma-separated list of networks (CIDRs, or single
// addresses) for Server.TrustedProxies.
func ParseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v == "" {
			continue
		}
		p, err := netip.ParsePrefix(v)
		if err != nil {
			a, aerr := netip.ParseAddr(v)
			if aerr != nil {
				return nil, fmt.Errorf("%q is not a network (10.0.0.0/8) or an address", v)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// Package netguard keeps server-side requests away from the server's own
// networks: a dialer that refuses loopback, private, link-local and other
// non-public addresses, checked on the address actually dialled (after DNS
// resolution, for every connection, redirects included), so a name that
// resolves to 127.0.0.1, or is re-pointed there later, is refused too.
package netguard

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// ErrRefused is returned (wrapped) for a connection to a refused address.
var ErrRefused = errors.New("address not allowed")

// nonPublic are the ranges that are neither loopback, private nor
// link-local by net.IP's own tests but still not the public internet.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),     // "this network"
	netip.MustParsePrefix("100.64.0.0/10"), // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),  // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"), // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),   // reserved, broadcast
	netip.MustParsePrefix("64:ff9b::/96"),  // NAT64 (may reach private IPv4)
	netip.MustParsePrefix("2002::/16"),     // 6to4 (may embed private IPv4)
}

// Allowed reports whether a connection to ip may be made.
func Allowed(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// Dialer returns a dialer with the given timeout that refuses addresses
// Allowed refuses, unless allowPrivate.
func Dialer(timeout time.Duration, allowPrivate bool) *net.Dialer {
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = control
	}
	return d
}

// control runs after resolution, just before the socket connects: address
// is the IP and port about to be dialled.
func control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrRefused, address)
	}
	if !Allowed(ap.Addr()) {
		return fmt.Errorf("%w: %s is not a public address", ErrRefused, ap.Addr())
	}
	return nil
}

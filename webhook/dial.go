package webhook

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// blocked are the address ranges a webhook never reaches, besides those
// netip classifies as loopback, private (fc00::/7 with AWS's fd00:ec2::254
// included), link-local (the metadata services' 169.254.169.254
// included), multicast or unspecified. IPv4-mapped IPv6 addresses are
// checked as the IPv4 address they map.
var blocked = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, broadcast
	netip.MustParsePrefix("64:ff9b::/96"),    // NAT64, which reaches IPv4 inside
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("2002::/16"),       // 6to4, which reaches IPv4 inside
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
}

// Public reports whether addr is an address a webhook may reach: a public
// unicast address.
func Public(addr netip.Addr) bool {
	addr = addr.Unmap()
	if !addr.IsGlobalUnicast() || addr.IsPrivate() || addr.IsLoopback() || addr.IsLinkLocalUnicast() {
		return false
	}
	for _, p := range blocked {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}

// ErrForbiddenAddress is a dial refused because of the address dialled.
type ErrForbiddenAddress struct{ Addr string }

func (e *ErrForbiddenAddress) Error() string {
	return fmt.Sprintf("webhook: refusing to connect to %s: not a public address", e.Addr)
}

// Dialer dials public addresses only, checked on the address about to be
// connected to, after name resolution: a name that resolves (or is
// rebound) to a forbidden address fails. Allow lists prefixes reachable
// all the same, such as 127.0.0.0/8 for tests.
type Dialer struct {
	Allow   []netip.Prefix
	Timeout time.Duration
}

// DialContext is net.Dialer.DialContext with the address check.
func (d Dialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	nd := net.Dialer{Timeout: d.Timeout, Control: d.control}
	if nd.Timeout == 0 {
		nd.Timeout = 5 * time.Second
	}
	return nd.DialContext(ctx, network, address)
}

// control runs after resolution, before each connection attempt.
func (d Dialer) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &ErrForbiddenAddress{Addr: address}
	}
	addr := ap.Addr().Unmap()
	for _, p := range d.Allow {
		if p.Contains(addr) {
			return nil
		}
	}
	if !Public(addr) {
		return &ErrForbiddenAddress{Addr: address}
	}
	return nil
}

// Client returns an HTTP client that dials through d, follows no
// redirects (a redirect could lead anywhere), ignores proxy settings and
// gives up on a request after timeout.
func (d Dialer) Client(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           d.DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: timeout,
			MaxIdleConnsPerHost:   2,
			IdleConnTimeout:       30 * time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

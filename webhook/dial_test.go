package webhook_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cybermarket/cybermarket/webhook"
)

func TestPublic(t *testing.T) {
	for addr, public := range map[string]bool{
		"8.8.8.8": true, "2001:4860:4860::8888": true, "193.5.6.7": true,
		"127.0.0.1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false, "255.255.255.255": false,
		"224.0.0.1": false, "::1": false, "::": false, "fe80::1": false, "fc00::1": false,
		"fd00:ec2::254": false, "::ffff:127.0.0.1": false, "::ffff:10.0.0.1": false, "64:ff9b::a00:1": false,
		"2002:a00:1::": false, "198.18.0.1": false,
	} {
		if got := webhook.Public(netip.MustParseAddr(addr)); got != public {
			t.Errorf("Public(%s) = %v", addr, got)
		}
	}
}

// A receiver on loopback is refused when dialling, by address and by a
// name resolving to it, and never sees a connection; with an allow-list
// it is reached.
func TestDialer_RefusesPrivateAddressesWhenDialling(t *testing.T) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())

	refused := webhook.Dialer{}.Client(5 * time.Second)
	for _, url := range []string{srv.URL, "http://localhost:" + port + "/"} {
		resp, err := refused.Get(url)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("%s: reached a loopback receiver", url)
		}
		var fe *webhook.ErrForbiddenAddress
		if !errors.As(err, &fe) {
			t.Errorf("%s: %v, want ErrForbiddenAddress", url, err)
		}
	}
	if n := conns.Load(); n != 0 {
		t.Errorf("the receiver saw %d connections", n)
	}

	allowed := webhook.Dialer{Allow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}.Client(5 * time.Second)
	resp, err := allowed.Get(srv.URL)
	if err != nil {
		t.Fatalf("with the allow-list: %v", err)
	}
	resp.Body.Close()
	if conns.Load() != 1 {
		t.Errorf("the receiver saw %d connections, want 1", conns.Load())
	}

	// The check is on the address dialled, whatever the name says.
	d := webhook.Dialer{}
	if _, err := d.DialContext(context.Background(), "tcp", "169.254.169.254:80"); err == nil || !strings.Contains(err.Error(), "not a public address") {
		t.Errorf("metadata address: %v", err)
	}
}

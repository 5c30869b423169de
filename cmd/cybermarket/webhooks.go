package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/openapi"
	"github.com/cybermarket/cybermarket/webhook"
)

// startWebhooks starts this replica's webhook worker; stop ends it after
// the attempt in hand. WEBHOOK_ALLOW lists address prefixes the deliveries
// may reach although they are not public (comma-separated CIDRs, for local
// development only); entries that are not prefixes are logged and left out,
// which allows less, never more.
func startWebhooks(ctx context.Context, store *catalog.Store, log *slog.Logger) (stop func()) {
	allow, err := webhookAllow()
	if err != nil {
		log.Error("webhooks: ignoring WEBHOOK_ALLOW entries", "error", err)
	}
	if len(allow) > 0 {
		log.Warn("webhooks may reach private addresses", "allow", os.Getenv("WEBHOOK_ALLOW"))
	}
	w := webhook.NewWorker(webhook.WorkerConfig{Store: store, Render: openapi.RenderMessage, Logger: log,
		Sender: webhook.Sender{Client: webhook.Dialer{Allow: allow}.Client(10 * time.Second)}})
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() { defer close(done); w.Run(wctx) }()
	return func() { cancel(); <-done }
}

// webhookAllow parses WEBHOOK_ALLOW; it returns the prefixes it could
// read, and an error naming the entries it could not.
func webhookAllow() ([]netip.Prefix, error) {
	var out []netip.Prefix
	var bad []string
	for f := range strings.SplitSeq(os.Getenv("WEBHOOK_ALLOW"), ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			bad = append(bad, f)
			continue
		}
		out = append(out, p.Masked())
	}
	if len(bad) > 0 {
		return out, fmt.Errorf("not CIDR prefixes: %q", bad)
	}
	return out, nil
}

// webhookHTTP reports whether webhook URLs may be http:// and name private
// addresses (WEBHOOK_HTTP=1, local development only).
func webhookHTTP() bool { return os.Getenv("WEBHOOK_HTTP") == "1" }

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
// development only).
func startWebhooks(ctx context.Context, store *catalog.Store, log *slog.Logger) (stop func(), err error) {
	allow, err := webhookAllow()
	if err != nil {
		return nil, err
	}
	if len(allow) > 0 {
		log.Warn("webhooks may reach private addresses", "allow", os.Getenv("WEBHOOK_ALLOW"))
	}
	w := webhook.NewWorker(webhook.WorkerConfig{Store: store, Render: openapi.RenderChanges, Logger: log,
		Sender: webhook.Sender{Client: webhook.Dialer{Allow: allow}.Client(10 * time.Second)}})
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() { defer close(done); w.Run(wctx) }()
	return func() { cancel(); <-done }, nil
}

// webhookAllow parses WEBHOOK_ALLOW.
func webhookAllow() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for f := range strings.SplitSeq(os.Getenv("WEBHOOK_ALLOW"), ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("WEBHOOK_ALLOW: %q is not a CIDR prefix", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// webhookHTTP reports whether webhook URLs may be http:// and name private
// addresses (WEBHOOK_HTTP=1, local development only).
func webhookHTTP() bool { return os.Getenv("WEBHOOK_HTTP") == "1" }

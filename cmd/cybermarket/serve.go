package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/refstore"
	"github.com/cybermarket/cybermarket/openapi"
	"github.com/cybermarket/cybermarket/web"
)

func newServeCmd(cfg *config) *cobra.Command {
	var (
		listen          string
		shutdownTimeout time.Duration
		trustedProxies  string
		debugListen     string
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the web interface (/), the HTTP API (/v1), its docs (/docs) and spec (/openapi.json)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			proxies, err := parsePrefixes(trustedProxies)
			if err != nil {
				return fmt.Errorf("--trusted-proxies: %w", err)
			}
			return serve(cmd.Context(), cfg, listen, debugListen, shutdownTimeout, openapi.Limits{TrustedProxies: proxies})
		},
	}
	cmd.Flags().StringVar(&listen, "listen", envOr("LISTEN_ADDR", "127.0.0.1:8080"), "address to listen on (env LISTEN_ADDR)")
	cmd.Flags().DurationVar(&shutdownTimeout, "shutdown-timeout", 20*time.Second, "how long to drain in-flight requests on SIGTERM")
	cmd.Flags().StringVar(&trustedProxies, "trusted-proxies", os.Getenv("TRUSTED_PROXIES"),
		"comma-separated addresses or CIDR prefixes of load balancers whose X-Forwarded-For names the client for rate limits (env TRUSTED_PROXIES)")
	cmd.Flags().StringVar(&debugListen, "debug-listen", os.Getenv("DEBUG_LISTEN_ADDR"),
		"address of a separate listener serving Go profiles under /debug/pprof/; off when empty, keep it private (env DEBUG_LISTEN_ADDR)")
	addTelemetryFlags(cmd, &cfg.telemetry)
	return cmd
}

// parsePrefixes reads a comma-separated list of addresses and CIDR prefixes.
func parsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if a, err := netip.ParseAddr(f); err == nil {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a CIDR prefix", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// serve connects to the database, listens, and serves until ctx ends (SIGINT
// or SIGTERM), then drains in-flight requests within shutdownTimeout.
func serve(ctx context.Context, cfg *config, listen, debugListen string, shutdownTimeout time.Duration, limits openapi.Limits) error {
	log, err := cfg.logger(os.Stderr)
	if err != nil {
		return err
	}
	slog.SetDefault(log)
	tuneGC(log)
	if err := cfg.requireDatabase(); err != nil {
		return err
	}
	// Metrics and traces (telemetry.go), each off unless configured.
	obs, stopTelemetry, err := startTelemetry(ctx, cfg.telemetry, log)
	if err != nil {
		return err
	}
	defer stopTelemetry()
	log = obs.logger(log)
	store, err := catalog.Open(ctx, cfg.DatabaseURL, obs.catalogOptions()...)
	if err != nil {
		return err
	}
	defer store.Close()

	// The reference data in use, reloaded on change (also by other replicas).
	refs := refstore.New(store.Pool())
	live, err := compliance.OpenLive(ctx, refs)
	if err != nil {
		return fmt.Errorf("%w (run cybermarket migrate first)", err)
	}
	// Search: the index and this replica's outbox worker (see search.go),
	// stopped after the HTTP server has drained. Before live.Watch: it hooks
	// reference changes.
	cfg.meiliTransport = obs.meiliTransport
	searchDeps, stopSearch, err := startSearch(ctx, cfg, store, live, log)
	if err != nil {
		return err
	}
	defer stopSearch()
	if err := obs.watch(store, live); err != nil {
		return err
	}
	stopWebhooks := startWebhooks(ctx, store, log)
	defer stopWebhooks()
	stopFeedJobs := startFeedJobs(ctx, store, live, log) // before live.Watch: it hooks reference changes
	defer stopFeedJobs()
	go live.Watch(ctx, 5*time.Second, log)

	api := openapi.New(openapi.Deps{
		Catalog:      store,
		Compliance:   live,
		Requirements: refs,
		Logger:       log,
		Checks:       map[string]func(context.Context) error{"postgres": store.Ping},
		Search:       searchDeps, // reports meilisearch on /readyz without failing it
		Limits:       limits,
		Webhooks:     openapi.WebhookOptions{AllowHTTP: webhookHTTP()},
	})
	handler := obs.handler(api)
	// The web interface at /, beside the API (see web.Mount); its pages call
	// the API handler in-process (not through the metrics wrapper, so a page
	// is not counted as API requests). Its sessions live in the catalogue's
	// web_sessions table, shared by every replica and kept across restarts.
	site := web.Mount(handler, web.New(web.Config{API: api, Logger: log, Sessions: store}))
	ln, stopDebug, err := listenAll(ctx, listen, debugListen, log)
	if err != nil {
		return err
	}
	defer stopDebug()
	return runServer(ctx, newHTTPServer(ctx, site, log), ln, shutdownTimeout, log)
}

// newHTTPServer is the server of the API and the web interface, with the
// time and size limits of every connection.
func newHTTPServer(ctx context.Context, h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
}

// listenAll opens the API's listener and, when debugListen is set, serves
// the profiles on theirs; stop ends the latter.
func listenAll(ctx context.Context, listen, debugListen string, log *slog.Logger) (ln net.Listener, stop func(), err error) {
	ln, err = net.Listen("tcp", listen)
	if err != nil {
		return nil, nil, err
	}
	stop = func() {}
	if debugListen != "" {
		if stop, err = serveDebug(ctx, debugListen, log); err != nil {
			ln.Close()
			return nil, nil, err
		}
	}
	return ln, stop, nil
}

// runServer serves on ln until ctx ends (SIGINT or SIGTERM), then drains
// in-flight requests within shutdownTimeout.
func runServer(ctx context.Context, srv *http.Server, ln net.Listener, shutdownTimeout time.Duration, log *slog.Logger) error {
	log.Info("serving", "addr", "http://"+ln.Addr().String(), "docs", "http://"+ln.Addr().String()+"/docs")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// serveDebug serves the Go runtime profiles (net/http/pprof) on their own
// listener, never on the API's: they are for operators measuring where the
// time goes, not for clients. It returns a function that stops it.
func serveDebug(ctx context.Context, addr string, log *slog.Logger) (func(), error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--debug-listen: %w", err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	log.Info("serving profiles", "addr", "http://"+ln.Addr().String()+"/debug/pprof/")
	go func() { _ = srv.Serve(ln) }()
	return func() { _ = srv.Close() }, nil
}

// defaultGCPercent is the garbage collector's target when GOGC is not set.
// The server's live heap is small (tens of MB) while every search page
// makes some 300 kB of garbage (decoding Meilisearch's answer, encoding
// ours): at Go's default of 100 it collects every few dozen searches, and
// that work competes with Meilisearch for the same cores. 400 trades a few
// tens of MB (the server peaked at 73 MB RSS in the 100,000-offering
// benchmark) for a quarter of the collections; there, the API's median
// overhead over a direct Meilisearch query was 1.5 ms at 100 and 0.9 to
// 1.5 ms at 400. GOGC and GOMEMLIMIT still rule when set.
const defaultGCPercent = 400

func tuneGC(log *slog.Logger) {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	debug.SetGCPercent(defaultGCPercent)
	log.Debug("garbage collector target set", "gogc", defaultGCPercent)
}

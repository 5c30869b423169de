// Command cybermarket runs the cybermarket service and its administrative
// tasks: serve, migrate, openapi, import and keys.
//
// Configuration comes from flags, each defaulting to an environment variable
// (DATABASE_URL, MEILI_URL, MEILI_API_KEY, LISTEN_ADDR, LOG_FORMAT, LOG_LEVEL).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRoot().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "cybermarket:", err)
		stop()
		os.Exit(1)
	}
}

// config is what every command may need. Flags override the environment.
type config struct {
	DatabaseURL string
	MeiliURL    string
	MeiliAPIKey string
	LogFormat   string
	LogLevel    string
	// telemetry is serve's metrics listener (telemetry.go).
	telemetry telemetryConfig
	// meiliTransport, if set, wraps the Meilisearch client's transport.
	meiliTransport func(http.RoundTripper) http.RoundTripper
}

func newRoot() *cobra.Command {
	var cfg config
	root := &cobra.Command{
		Use:           "cybermarket",
		Short:         "The cybermarket catalogue of cybersecurity services for EU hospitals",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	f := root.PersistentFlags()
	f.StringVar(&cfg.DatabaseURL, "database-url", os.Getenv("DATABASE_URL"), "PostgreSQL connection string (env DATABASE_URL)")
	f.StringVar(&cfg.MeiliURL, "meili-url", os.Getenv("MEILI_URL"), "Meilisearch URL (env MEILI_URL)")
	f.StringVar(&cfg.MeiliAPIKey, "meili-api-key", os.Getenv("MEILI_API_KEY"), "Meilisearch API key (env MEILI_API_KEY)")
	f.StringVar(&cfg.LogFormat, "log-format", envOr("LOG_FORMAT", "auto"), "log format: auto (JSON unless stderr is a terminal), json or text (env LOG_FORMAT)")
	f.StringVar(&cfg.LogLevel, "log-level", envOr("LOG_LEVEL", "info"), "log level: debug, info, warn or error (env LOG_LEVEL)")

	root.AddCommand(
		newServeCmd(&cfg),
		newMigrateCmd(&cfg),
		newOpenAPICmd(),
		newImportCmd(&cfg),
		newKeysCmd(&cfg),
		newReindexCmd(&cfg),
		newProbeCmd(),
	)
	return root
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// requireDatabase reports a missing DATABASE_URL the way a person can act on.
func (c *config) requireDatabase() error {
	if c.DatabaseURL == "" {
		return errors.New("no database: set DATABASE_URL or --database-url (make run does it for you)")
	}
	return nil
}

// logger builds the process logger: JSON when stderr is not a terminal.
func (c *config) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	format := c.LogFormat
	if format == "auto" {
		format = "json"
		if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			format = "text"
		}
	}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: %q is not auto, json or text", c.LogFormat)
}

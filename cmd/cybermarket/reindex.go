package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance/refstore"
	"github.com/cybermarket/cybermarket/search"
)

func newReindexCmd(cfg *config) *cobra.Command {
	var check bool
	cmd := &cobra.Command{
		Use:   "reindex",
		Short: "Rebuild the search index from PostgreSQL and swap it in without downtime",
		Long: `Builds a new Meilisearch index from a consistent snapshot of the catalogue, with the
current reference data and index settings, then swaps it with the live index in one
atomic step and deletes the old one. Searches are answered from the old index until the
swap. Meanwhile the servers' outbox workers pause (writes still succeed), and apply what
changed since the snapshot to the new index right after the swap. One reindex runs at a time.

With --check it changes nothing: it compares the live index with the database and exits
with status 1 when they differ (run it when GET /v1/search/status shows an empty outbox).`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cfg.requireDatabase(); err != nil {
				return err
			}
			if len(meiliURLs(cfg)) == 0 {
				return errors.New("no search index: set MEILI_URL or --meili-url")
			}
			return reindex(cmd.Context(), cfg, check, cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVar(&check, "check", false, "only compare the live index with the database")
	return cmd
}

func reindex(ctx context.Context, cfg *config, check bool, out io.Writer) error {
	log, err := cfg.logger(os.Stderr)
	if err != nil {
		return err
	}
	store, err := catalog.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer store.Close()
	ref, rev, err := refstore.New(store.Pool()).Load(ctx)
	if err != nil {
		return fmt.Errorf("%w (run cybermarket migrate first)", err)
	}
	rules := search.NewRules(ref, rev)
	ix, err := search.Open(meiliConfig(cfg))
	if err != nil {
		return err
	}
	if check {
		diff, err := search.Verify(ctx, store, ix, rules, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintln(out, diff)
		if !diff.InSync() {
			return errors.New("the search index differs from the database: run cybermarket reindex")
		}
		return nil
	}
	rep, err := search.Reindex(ctx, search.ReindexConfig{Catalog: store, Index: ix, Rules: rules, Logger: log})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "indexed %d offerings in %s (reading and building %s, indexing and swap %s); %q is live\n",
		rep.Documents, rep.Duration.Round(time.Millisecond), rep.Load.Round(time.Millisecond),
		rep.Index.Round(time.Millisecond), ix.UID())
	return nil
}

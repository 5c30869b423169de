package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/compliance"
	"github.com/cybermarket/cybermarket/compliance/refstore"
)

func newMigrateCmd(cfg *config) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply database migrations and load the embedded reference data",
		Long: `Applies the embedded SQL migrations, each in its own transaction, then loads the
reference data (countries, service categories, certification schemes, requirements) compiled
into this binary. Records an administrator edited are kept; a release change to them is
reported and stored as pending. Safe to run on every start and from several replicas at once.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cfg.requireDatabase(); err != nil {
				return err
			}
			return migrate(cmd.Context(), cfg.DatabaseURL, cmd.OutOrStdout())
		},
	}
}

func migrate(ctx context.Context, url string, out io.Writer) error {
	version, err := catalog.Migrate(ctx, url)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "schema at version %d\n", version)
	ref, err := compliance.Embedded()
	if err != nil {
		return err
	}
	store, err := catalog.Open(ctx, url)
	if err != nil {
		return err
	}
	defer store.Close()
	rep, err := refstore.New(store.Pool()).Sync(ctx, ref)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "reference data %s: %d inserted, %d updated, %d deleted, %d unchanged\n",
		ref.Version, rep.Inserted, rep.Updated, rep.Deleted, rep.Unchanged)
	for _, k := range rep.Kept {
		fmt.Fprintf(out, "  kept administrator's edit of %s; this release's version is stored as pending for review\n", k)
	}
	for _, k := range rep.Retained {
		fmt.Fprintf(out, "  kept %s: no longer in this release, but edited or in use\n", k)
	}
	return nil
}

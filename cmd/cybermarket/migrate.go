package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cybermarket/cybermarket/catalog"
)

func newMigrateCmd(cfg *config) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply database migrations and load the reference data",
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := cfg.requireDatabase(); err != nil {
				return err
			}
			version, err := catalog.Migrate(cmd.Context(), cfg.DatabaseURL)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "schema at version %d\n", version)
			return nil
		},
	}
}

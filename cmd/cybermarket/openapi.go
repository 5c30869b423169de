package main

import (
	"github.com/spf13/cobra"

	"github.com/cybermarket/cybermarket/openapi"
)

func newOpenAPICmd() *cobra.Command {
	return &cobra.Command{
		Use:   "openapi",
		Short: "Print the OpenAPI 3.1 spec (YAML), as committed in openapi/openapi.yaml",
		RunE: func(cmd *cobra.Command, _ []string) error {
			spec, err := openapi.Spec()
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(spec)
			return err
		},
	}
}

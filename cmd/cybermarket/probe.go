package main

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/cybermarket/cybermarket/telemetry"
)

// newProbeCmd is the health check of images without a shell or curl
// (the scratch image): compose runs it in the container.
func newProbeCmd() *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "probe URL",
		Short: "Exit 0 when GET URL answers 2xx (a container health check, such as http://127.0.0.1:8080/readyz)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return telemetry.Probe(cmd.Context(), args[0], timeout)
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", 3*time.Second, "how long to wait for the answer")
	return cmd
}

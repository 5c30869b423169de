package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cybermarket/cybermarket/catalog"
	"github.com/cybermarket/cybermarket/openapi"
)

func newImportCmd(cfg *config) *cobra.Command {
	var skipExisting bool
	cmd := &cobra.Command{
		Use:   "import FILE.ndjson",
		Short: "Import vendors with their offerings and certifications from NDJSON (- for stdin)",
		Long: `Each line is one bundle, shaped like the body of POST /v1/bundles: a vendor with its
offerings and certifications. Each line is stored in its own transaction, all of it or none,
and is checked by the same rules as the API. Errors are reported per line with the path of the
rejected value; the command fails when any line failed.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cfg.requireDatabase(); err != nil {
				return err
			}
			in := io.Reader(cmd.InOrStdin())
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				in = f
			}
			store, err := catalog.Open(cmd.Context(), cfg.DatabaseURL)
			if err != nil {
				return err
			}
			defer store.Close()
			// The audit trail records imported bundles as cli:import, with
			// the rights of the database role: vendors are active at once.
			ctx := catalog.WithActor(cmd.Context(), importActor)
			sum, err := importBundles(ctx, store, in, skipExisting, cmd.ErrOrStderr())
			fmt.Fprintf(cmd.OutOrStdout(), "imported %d, skipped %d (already registered), failed %d\n", sum.imported, sum.skipped, sum.failed)
			if err != nil {
				return err
			}
			if sum.failed > 0 {
				return fmt.Errorf("%d lines failed", sum.failed)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&skipExisting, "skip-existing", false, "skip lines whose vendor VAT number is already registered instead of failing them")
	return cmd
}

type importSummary struct{ imported, skipped, failed int }

// importActor is who the audit trail records for imported bundles.
var importActor = catalog.Actor{ID: "cli:import", Role: "system"}

// maxLine bounds one NDJSON line, like the API bounds a request body.
const maxLine = openapi.MaxBodyBytes

// importBundles stores each NDJSON line of r as a bundle and reports
// rejected lines on errw. It returns an error only when reading fails.
func importBundles(ctx context.Context, store *catalog.Store, r io.Reader, skipExisting bool, errw io.Writer) (importSummary, error) {
	var sum importSummary
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		err := importLine(ctx, store, line)
		var cerr *catalog.ConflictError
		switch {
		case err == nil:
			sum.imported++
		case skipExisting && errors.As(err, &cerr) && cerr.Field == "vendor.vat_number":
			sum.skipped++
		default:
			sum.failed++
			fmt.Fprintf(errw, "line %d: %s\n", n, describe(err))
		}
	}
	if err := sc.Err(); err != nil {
		return sum, fmt.Errorf("reading input: %w", err)
	}
	return sum, nil
}

func importLine(ctx context.Context, store *catalog.Store, line []byte) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	var b openapi.Bundle
	if err := dec.Decode(&b); err != nil {
		return fmt.Errorf("not a bundle: %w", err)
	}
	d, err := b.Domain()
	if err != nil {
		return err
	}
	_, err = store.CreateBundle(ctx, d)
	return err
}

// describe says what was wrong with a line, field by field.
func describe(err error) string {
	var verr *catalog.ValidationError
	var cerr *catalog.ConflictError
	switch {
	case errors.As(err, &verr):
		parts := make([]string, len(verr.Fields))
		for i, f := range verr.Fields {
			parts[i] = f.Field + ": " + f.Message
		}
		return strings.Join(parts, "; ")
	case errors.As(err, &cerr):
		return cerr.Field + ": " + cerr.Message
	}
	return err.Error()
}

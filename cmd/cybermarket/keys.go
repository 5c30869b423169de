package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/cybermarket/cybermarket/catalog"
)

// keysActor is who the audit trail records for key changes made with the CLI.
var keysActor = catalog.Actor{ID: "cli:keys", Role: "system"}

func newKeysCmd(cfg *config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Make, list, check and revoke API keys",
		Long: `API keys authenticate requests (Authorization: Bearer <token>). Each has a role: admin,
verifier, analyst, or vendor (bound to one vendor). A key's token is printed once, when it is
made; the database keeps only a hash. Changes are recorded in the audit trail as cli:keys.`,
	}
	cmd.AddCommand(newKeysCreateCmd(cfg), newKeysListCmd(cfg), newKeysRevokeCmd(cfg), newKeysCheckCmd(cfg))
	return cmd
}

// openStore opens the catalogue for a keys subcommand.
func openStore(ctx context.Context, cfg *config) (*catalog.Store, error) {
	if err := cfg.requireDatabase(); err != nil {
		return nil, err
	}
	return catalog.Open(ctx, cfg.DatabaseURL)
}

func newKeysCreateCmd(cfg *config) *cobra.Command {
	var name, role, vendor, expires string
	cmd := &cobra.Command{
		Use:   "create --name NAME --role ROLE [--vendor ID] [--expires 720h|2027-01-01T00:00:00Z]",
		Short: "Make a key and print its token (only the token goes to stdout)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k := catalog.APIKey{Name: name, Role: catalog.Role(role)}
			if vendor != "" {
				id, err := uuid.Parse(vendor)
				if err != nil {
					return fmt.Errorf("--vendor: %q is not a vendor id", vendor)
				}
				k.VendorID = id
			}
			if expires != "" {
				t, err := parseExpiry(expires, time.Now())
				if err != nil {
					return err
				}
				k.ExpiresAt = &t
			}
			store, err := openStore(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer store.Close()
			created, token, err := store.CreateKey(catalog.WithActor(cmd.Context(), keysActor), k)
			if err != nil {
				return errors.New(describe(err))
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "made %s key %s (%s); the token below is shown once\n", created.Role, created.ID, created.Name)
			fmt.Fprintln(cmd.OutOrStdout(), token)
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "whose key it is (required)")
	cmd.Flags().StringVar(&role, "role", "", "admin, verifier, analyst or vendor (required)")
	cmd.Flags().StringVar(&vendor, "vendor", "", "the vendor id of a vendor key")
	cmd.Flags().StringVar(&expires, "expires", "", "when the key stops working: a duration from now (720h) or an RFC 3339 time")
	_ = cmd.MarkFlagRequired("name")
	_ = cmd.MarkFlagRequired("role")
	return cmd
}

// parseExpiry reads --expires: a duration from now or an RFC 3339 time.
func parseExpiry(s string, now time.Time) (time.Time, error) {
	if d, err := time.ParseDuration(s); err == nil {
		if d <= 0 {
			return time.Time{}, fmt.Errorf("--expires: %s is not in the future", s)
		}
		return now.Add(d), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--expires: %q is neither a duration (720h) nor an RFC 3339 time", s)
	}
	return t, nil
}

func newKeysListCmd(cfg *config) *cobra.Command {
	var role, vendor string
	var revoked bool
	cmd := &cobra.Command{
		Use:   "list [--role ROLE] [--vendor ID] [--revoked]",
		Short: "List keys (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := catalog.KeyFilter{Role: catalog.Role(role), Revoked: revoked, Limit: catalog.MaxPageSize}
			if vendor != "" {
				id, err := uuid.Parse(vendor)
				if err != nil {
					return fmt.Errorf("--vendor: %q is not a vendor id", vendor)
				}
				f.VendorID = id
			}
			store, err := openStore(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer store.Close()
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tROLE\tVENDOR\tNAME\tCREATED\tEXPIRES\tLAST USED\tREVOKED")
			for {
				page, err := store.ListKeys(cmd.Context(), f)
				if err != nil {
					return err
				}
				for _, k := range page.Items {
					vendor := "-"
					if k.VendorID != uuid.Nil {
						vendor = k.VendorID.String()
					}
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Role, vendor, k.Name,
						k.CreatedAt.Format(time.RFC3339), when(k.ExpiresAt), when(k.LastUsedAt), when(k.RevokedAt))
				}
				if page.Next == "" {
					break
				}
				f.Cursor = page.Next
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "only keys with this role")
	cmd.Flags().StringVar(&vendor, "vendor", "", "only keys of this vendor")
	cmd.Flags().BoolVar(&revoked, "revoked", false, "include revoked keys")
	return cmd
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.RFC3339)
}

func newKeysRevokeCmd(cfg *config) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke KEY-ID",
		Short: "Revoke a key: it stops working at once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := uuid.Parse(args[0])
			if err != nil {
				return fmt.Errorf("%q is not a key id (see cybermarket keys list)", args[0])
			}
			store, err := openStore(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer store.Close()
			k, err := store.RevokeKey(catalog.WithActor(cmd.Context(), keysActor), id)
			if errors.Is(err, catalog.ErrNotFound) {
				return fmt.Errorf("no key %s", id)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "revoked %s key %s (%s) at %s\n", k.Role, k.ID, k.Name, when(k.RevokedAt))
			return nil
		},
	}
}

func newKeysCheckCmd(cfg *config) *cobra.Command {
	return &cobra.Command{
		Use:   "check < TOKEN",
		Short: "Check that the token on stdin authenticates; print its key",
		Long:  "Reads a token from stdin (not from the command line, where other users could see it) and exits 0 when it authenticates.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			line, err := bufio.NewReader(io.LimitReader(cmd.InOrStdin(), 1024)).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return err
			}
			store, err := openStore(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer store.Close()
			k, err := store.Authenticate(cmd.Context(), strings.TrimSpace(line))
			var aerr *catalog.AuthError
			if errors.As(err, &aerr) {
				return fmt.Errorf("the token does not authenticate: %s", aerr.Reason)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s key %s (%s)\n", k.Role, k.ID, k.Name)
			return nil
		},
	}
}

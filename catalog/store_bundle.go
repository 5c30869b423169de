package catalog

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Bundle is a vendor with its offerings and certifications, written
// together: the unit of onboarding and of bulk import.
type Bundle struct {
	Vendor         Vendor
	Offerings      []Offering
	Certifications []BundleCertification
}

// BundleCertification is a certification of a bundle. It names the offerings
// it covers by their index in Bundle.Offerings, since they have no ids yet.
type BundleCertification struct {
	Certification
	Covers []int
}

// CreateBundle stores a vendor, its offerings and its certifications in one
// transaction: all of them, or on any error none. Errors name the failing
// value by its path in the bundle, such as offerings[1].category. It returns
// the stored bundle with ids, versions and timestamps.
func (s *Store) CreateBundle(ctx context.Context, b Bundle) (_ Bundle, err error) {
	defer wrap(&err, "catalog.CreateBundle")
	var out Bundle
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		out, err = createBundle(ctx, tx, b)
		return err
	})
	if err != nil {
		return Bundle{}, err
	}
	return out, nil
}

// RegisterBundle stores b like CreateBundle and, in the same transaction,
// issues a vendor key named keyName for the new vendor: self-registration,
// where the key is the registrant's only way back to its data. It returns
// the stored bundle, the key and its token (shown once); on any error
// nothing is stored.
func (s *Store) RegisterBundle(ctx context.Context, b Bundle, keyName string) (_ Bundle, _ APIKey, token string, err error) {
	defer wrap(&err, "catalog.RegisterBundle")
	var out Bundle
	var key APIKey
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if out, err = createBundle(ctx, tx, b); err != nil {
			return err
		}
		key, token, err = createKey(ctx, tx, APIKey{Name: keyName, Role: RoleVendor, VendorID: out.Vendor.ID})
		return err
	})
	if err != nil {
		return Bundle{}, APIKey{}, "", err
	}
	return out, key, token, nil
}

// RegisterVendor is RegisterBundle for a vendor alone: errors name the
// vendor's fields without a "vendor." prefix, as CreateVendor's do.
func (s *Store) RegisterVendor(ctx context.Context, v Vendor, keyName string) (_ Vendor, _ APIKey, token string, err error) {
	defer wrap(&err, "catalog.RegisterVendor")
	var key APIKey
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if v, err = createVendor(ctx, tx, v); err != nil {
			return err
		}
		key, token, err = createKey(ctx, tx, APIKey{Name: keyName, Role: RoleVendor, VendorID: v.ID})
		return err
	})
	if err != nil {
		return Vendor{}, APIKey{}, "", err
	}
	return v, key, token, nil
}

func createBundle(ctx context.Context, tx pgx.Tx, b Bundle) (Bundle, error) {
	var out Bundle
	err := func() error {
		v, err := createVendor(ctx, tx, b.Vendor)
		if err != nil {
			return within("vendor", err)
		}
		out = Bundle{Vendor: v}
		for i, o := range b.Offerings {
			o.VendorID = v.ID
			created, err := createOffering(ctx, tx, o)
			if err != nil {
				return within(fmt.Sprintf("offerings[%d]", i), err)
			}
			out.Offerings = append(out.Offerings, created)
		}
		for i, c := range b.Certifications {
			path := fmt.Sprintf("certifications[%d]", i)
			c.VendorID = v.ID
			c.OfferingIDs = make([]uuid.UUID, 0, len(c.Covers))
			for j, k := range c.Covers {
				if k < 0 || k >= len(out.Offerings) {
					return Invalid(fmt.Sprintf("%s.covers[%d]", path, j), fmt.Sprintf("must be the index of an offering of this bundle (0 to %d)", len(out.Offerings)-1), k)
				}
				c.OfferingIDs = append(c.OfferingIDs, out.Offerings[k].ID)
			}
			created, err := createCertification(ctx, tx, c.Certification)
			if err != nil {
				return within(path, err)
			}
			out.Certifications = append(out.Certifications, BundleCertification{Certification: created, Covers: c.Covers})
		}
		return nil
	}()
	return out, err
}

// within puts the field paths of validation and conflict errors under prefix.
func within(prefix string, err error) error {
	var verr *ValidationError
	var cerr *ConflictError
	switch {
	case errors.As(err, &verr):
		return verr.within(prefix)
	case errors.As(err, &cerr):
		return &ConflictError{Field: prefix + "." + cerr.Field, Message: cerr.Message}
	}
	return err
}

package openapi

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"
)

// TestSpecIsCommitted fails when openapi/openapi.yaml differs from what the
// code generates: run `make openapi` and commit the result.
func TestSpecIsCommitted(t *testing.T) {
	want, err := Spec()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("openapi/openapi.yaml is out of date: run `make openapi` and commit it")
	}
}

// TestSpecIsDocumented holds every operation and schema field to the
// documentation standard: operationId, summary, description, tag and
// examples on operations; a description on every field.
func TestSpecIsDocumented(t *testing.T) {
	doc := document()
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("OpenAPI version %q, want 3.1.0", doc.OpenAPI)
	}
	ops := 0
	for path, item := range doc.Paths {
		for method, op := range map[string]*huma.Operation{"GET": item.Get, "POST": item.Post, "PUT": item.Put, "PATCH": item.Patch, "DELETE": item.Delete} {
			if op == nil {
				continue
			}
			ops++
			name := method + " " + path
			if op.OperationID == "" || op.Summary == "" || op.Description == "" || len(op.Tags) == 0 {
				t.Errorf("%s: operationId %q, summary %q, description %d chars, tags %v", name, op.OperationID, op.Summary, len(op.Description), op.Tags)
			}
			if !hasExample(doc, op) {
				t.Errorf("%s (%s) has no example in its parameters, request or response", name, op.OperationID)
			}
			for _, p := range op.Parameters {
				if p.Description == "" && p.Schema != nil && p.Schema.Description == "" {
					t.Errorf("%s: parameter %s has no description", name, p.Name)
				}
			}
		}
	}
	if ops < 20 {
		t.Errorf("only %d operations found", ops)
	}
	for name, s := range doc.Components.Schemas.Map() {
		if strings.HasPrefix(name, "ErrorDetail") || strings.HasPrefix(name, "ErrorModel") {
			continue // huma's own problem schemas
		}
		for prop, ps := range s.Properties {
			if ps.Description == "" && ps.Ref == "" {
				t.Errorf("schema %s: field %s has no description", name, prop)
			}
		}
	}
}

func hasExample(doc *huma.OpenAPI, op *huma.Operation) bool {
	for _, p := range op.Parameters {
		if p.Example != nil || (p.Schema != nil && len(p.Schema.Examples) > 0) {
			return true
		}
	}
	var media []*huma.MediaType
	if op.RequestBody != nil {
		for _, m := range op.RequestBody.Content {
			media = append(media, m)
		}
	}
	for code, r := range op.Responses {
		if strings.HasPrefix(code, "2") {
			for _, m := range r.Content {
				media = append(media, m)
			}
		}
	}
	for _, m := range media {
		if m.Example != nil || len(m.Examples) > 0 || schemaHasExample(doc, m.Schema, 0) {
			return true
		}
	}
	return false
}

func schemaHasExample(doc *huma.OpenAPI, s *huma.Schema, depth int) bool {
	if s == nil || depth > 4 {
		return false
	}
	if s.Ref != "" {
		s = doc.Components.Schemas.SchemaFromRef(s.Ref)
	}
	if s == nil {
		return false
	}
	if len(s.Examples) > 0 {
		return true
	}
	for _, p := range s.Properties {
		if schemaHasExample(doc, p, depth+1) {
			return true
		}
	}
	return schemaHasExample(doc, s.Items, depth+1)
}

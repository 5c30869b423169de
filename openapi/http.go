package openapi

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/cybermarket/cybermarket/catalog"
)

// etag returns the strong entity tag of an object version.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// IfMatch is the optional If-Match header of a conditional write.
type IfMatch struct {
	IfMatch string `header:"If-Match" doc:"The ETag of the version you read. The write fails with 412 when the object has changed since." example:"\"3\""`
}

// version returns the version If-Match asks for: 0 when absent or "*" (any
// current version), catalog.ErrStale when it cannot match any version (a
// weak or foreign tag), since If-Match uses strong comparison.
func (m IfMatch) version() (int64, error) {
	v := strings.TrimSpace(m.IfMatch)
	if v == "" || v == "*" {
		return 0, nil
	}
	if len(v) < 3 || v[0] != '"' || v[len(v)-1] != '"' {
		return 0, catalog.ErrStale
	}
	n, err := strconv.ParseInt(v[1:len(v)-1], 10, 64)
	if err != nil || n <= 0 {
		return 0, catalog.ErrStale
	}
	return n, nil
}

// RequiredIfMatch is the If-Match header of a replacement, which must not
// overwrite a version the caller has not seen.
type RequiredIfMatch struct {
	IfMatch string `header:"If-Match" doc:"The ETag of the version you read. Required: 428 without it, 412 when the object has changed since." example:"\"3\""`
}

func (m RequiredIfMatch) version() (int64, error) {
	if strings.TrimSpace(m.IfMatch) == "" || strings.TrimSpace(m.IfMatch) == "*" {
		return 0, huma.NewError(428, "Precondition Required",
			&huma.ErrorDetail{Location: "header.If-Match", Message: "is required: send the ETag of the version you read"})
	}
	return IfMatch(m).version()
}

// PageParams are the paging query parameters of every list.
type PageParams struct {
	Cursor string `query:"cursor" doc:"Opaque cursor from next_cursor of the previous page; omit for the first page." example:"0192f1e0-7b1c-7c3e-9a4b-2f1d3c4b5a69"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"Page size." example:"50"`
}

// nextLink returns an RFC 8288 Link header to the next page, or "".
func nextLink(path string, query url.Values, next string) string {
	if next == "" {
		return ""
	}
	q := url.Values{}
	for k, v := range query {
		if v[0] != "" && k != "cursor" {
			q.Set(k, v[0])
		}
	}
	q.Set("cursor", next)
	return fmt.Sprintf("<%s?%s>; rel=\"next\"", path, q.Encode())
}

// orEmpty returns s, or an empty slice for nil, so JSON shows [] not null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func itoa(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

package openapi

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/danielgtaylor/huma/v2"
)

// FuzzScanJSON: the body scanner never panics, and a valid JSON body it lets
// through decodes to text without NUL or replaced (invalid) characters that
// the body did not literally contain.
func FuzzScanJSON(f *testing.F) {
	for _, seed := range []string{
		`{}`, `[]`, `{"a":"b"}`, `{"a":[1,2,{"b":"\u0000"}]}`, `{"`, `{"a`, `{"a":`, `["\ud800"]`,
		`["\ud83d\udd12"]`, `{"\u0000":1}`, "[\"\xff\"]", `{"a":1,}`, `[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`,
		`"\ud800\u0041"`, `"\udc00"`, `{"a":"\\u0000"}`, `nul`, `{"a":tru}`, `{"a" "b"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fault := scanJSON(data)
		if fault != nil {
			if !strings.HasPrefix(fault.Location, "body") || fault.Message == "" {
				t.Fatalf("fault %+v", fault)
			}
			return
		}
		var v any
		if !json.Valid(data) || json.Unmarshal(data, &v) != nil {
			return
		}
		literalFFFD := strings.Contains(string(data), "\uFFFD") || strings.Contains(strings.ToLower(string(data)), `\ufffd`)
		walkStrings(v, func(s string) {
			if strings.IndexByte(s, 0) >= 0 {
				t.Fatalf("NUL let through in %q", data)
			}
			if strings.ContainsRune(s, utf8.RuneError) && !literalFFFD {
				t.Fatalf("invalid text let through (decoded as U+FFFD) in %q", data)
			}
		})
	})
}

func walkStrings(v any, fn func(string)) {
	switch x := v.(type) {
	case string:
		fn(x)
	case []any:
		for _, e := range x {
			walkStrings(e, fn)
		}
	case map[string]any:
		for k, e := range x {
			fn(k)
			walkStrings(e, fn)
		}
	}
}

// FuzzBound: a bounded problem stays small and valid UTF-8 whatever it was
// built from.
func FuzzBound(f *testing.F) {
	f.Add("body.a", "unexpected property", "value", 3)
	f.Add(strings.Repeat("k", 1000), strings.Repeat("m", 1000), "\xff\xfe", 500)
	f.Fuzz(func(t *testing.T, location, message, value string, n int) {
		n = min(max(n, 0), 2000)
		p := &huma.ErrorModel{Status: 422, Title: "Unprocessable Entity", Detail: message}
		for range n {
			p.Errors = append(p.Errors, &huma.ErrorDetail{Location: location, Message: message, Value: map[string]any{"v": value}})
			p.Errors = append(p.Errors, &huma.ErrorDetail{Location: location, Message: message, Value: value})
		}
		data, err := json.Marshal(bound(p))
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > 20*(maxLocationBytes+maxMessageBytes+maxEchoBytes+100)+maxDetailBytes+200 {
			t.Fatalf("%d bytes", len(data))
		}
		if !utf8.Valid(data) {
			t.Fatal("invalid UTF-8")
		}
	})
}

// FuzzTruncate: truncate keeps within its limit and on rune boundaries.
func FuzzTruncate(f *testing.F) {
	f.Add("héllo wörld", 5)
	f.Add("\xff\xfe", 1)
	f.Fuzz(func(t *testing.T, s string, n int) {
		n = min(max(n, 4), 1000)
		got := truncate(s, n)
		if len(got) > max(n, len("…")) || !utf8.ValidString(got) {
			t.Fatalf("truncate(%q, %d) = %q", s, n, got)
		}
	})
}

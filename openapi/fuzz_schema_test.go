package openapi_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The request generator of the spec-driven fuzzer (fuzz_requests_test.go):
// it reads the committed spec and makes, from a seeded random source,
// requests that are valid per the spec or mutated into invalid ones.

// specOperation is one operation of the spec, as the fuzzer needs it.
type specOperation struct {
	id, method, path string
	tags             []string
	params           []specParam
	body             map[string]any // request body schema, or nil
}

type specParam struct {
	name, in string
	schema   map[string]any
}

// spec is the committed OpenAPI document, parsed.
type spec struct {
	doc map[string]any
	ops []specOperation
}

func loadSpec(path string) (*spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	s := &spec{doc: doc}
	paths, _ := doc["paths"].(map[string]any)
	for path, item := range paths {
		for method, raw := range item.(map[string]any) {
			op, ok := raw.(map[string]any)
			if !ok || op["operationId"] == nil {
				continue
			}
			o := specOperation{id: op["operationId"].(string), method: strings.ToUpper(method), path: path}
			for _, t := range asList(op["tags"]) {
				o.tags = append(o.tags, fmt.Sprint(t))
			}
			for _, p := range asList(op["parameters"]) {
				pm := s.resolve(p.(map[string]any))
				schema, _ := pm["schema"].(map[string]any)
				o.params = append(o.params, specParam{name: pm["name"].(string), in: pm["in"].(string), schema: s.resolve(schema)})
			}
			if rb, ok := op["requestBody"].(map[string]any); ok {
				for _, media := range rb["content"].(map[string]any) {
					o.body = s.resolve(media.(map[string]any)["schema"].(map[string]any))
					break
				}
			}
			s.ops = append(s.ops, o)
		}
	}
	sort.Slice(s.ops, func(i, j int) bool { return s.ops[i].id < s.ops[j].id }) // deterministic order
	return s, nil
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// resolve follows a $ref to its schema.
func (s *spec) resolve(m map[string]any) map[string]any {
	for m != nil {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		node := any(s.doc)
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			node = node.(map[string]any)[part]
		}
		m, _ = node.(map[string]any)
	}
	return m
}

// generator makes values for schemas from a seeded source.
type generator struct {
	s   *spec
	rnd *rand.Rand
	// ids are identifiers that exist, by kind of thing, so that some
	// requests reach the handlers' real work instead of 404.
	ids []string
}

func (g *generator) chance(p float64) bool { return g.rnd.Float64() < p }

func (g *generator) pick(list []string) string { return list[g.rnd.IntN(len(list))] }

// value returns a value valid per schema (as far as the generator knows).
func (g *generator) value(schema map[string]any, depth int) any {
	schema = g.s.resolve(schema)
	if schema == nil || depth > 6 {
		return nil
	}
	if ex := asList(schema["examples"]); len(ex) > 0 && g.chance(0.9) {
		return ex[g.rnd.IntN(len(ex))]
	}
	if enum := asList(schema["enum"]); len(enum) > 0 {
		return enum[g.rnd.IntN(len(enum))]
	}
	switch typeOf(schema) {
	case "string":
		return g.str(schema)
	case "integer":
		lo, hi := num(schema["minimum"], 0), num(schema["maximum"], 100)
		return int64(lo) + g.rnd.Int64N(int64(hi-lo)+1)
	case "number":
		return g.rnd.Float64() * 100
	case "boolean":
		return g.chance(0.5)
	case "array":
		n := int(num(schema["minItems"], 0)) + g.rnd.IntN(3)
		items, _ := schema["items"].(map[string]any)
		out := make([]any, n)
		for i := range out {
			out[i] = g.value(items, depth+1)
		}
		return out
	case "object":
		return g.object(schema, depth)
	}
	return nil
}

func (g *generator) object(schema map[string]any, depth int) map[string]any {
	out := map[string]any{}
	required := map[string]bool{}
	for _, r := range asList(schema["required"]) {
		required[fmt.Sprint(r)] = true
	}
	props, _ := schema["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if required[name] || g.chance(0.5) {
			out[name] = g.value(props[name].(map[string]any), depth+1)
		}
	}
	if addl, ok := schema["additionalProperties"].(map[string]any); ok {
		for range 1 + g.rnd.IntN(2) {
			out[g.pick([]string{"en", "de", "fr", "xx", "EN"})] = g.value(addl, depth+1)
		}
	}
	return out
}

func (g *generator) str(schema map[string]any) string {
	switch schema["format"] {
	case "date":
		return g.pick([]string{"2025-03-01", "2028-02-29", "2025-02-30", "0000-01-01", "9999-12-31"})
	case "date-time":
		return g.pick([]string{"2026-01-01T00:00:00Z", "2030-12-31T23:59:59+02:00", "1970-01-01T00:00:00Z"})
	case "uuid":
		if len(g.ids) > 0 && g.chance(0.7) {
			return g.pick(g.ids)
		}
		return fmt.Sprintf("%08x-0000-7000-8000-%012x", g.rnd.Uint32(), g.rnd.Uint64()&0xffffffffffff)
	case "email":
		return "fuzz@example.eu"
	case "uri":
		return "https://example.eu/fuzz"
	}
	n := 1 + g.rnd.IntN(12)
	if hi := int(num(schema["maxLength"], 1e9)); n > hi {
		n = hi
	}
	return g.word(n)
}

func (g *generator) word(n int) string {
	const letters = "abcdefghijklmnopqrstuvwxyz-0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[g.rnd.IntN(len(letters))]
	}
	return string(b)
}

func typeOf(schema map[string]any) string {
	switch t := schema["type"].(type) {
	case string:
		return t
	case []any:
		for _, x := range t {
			if x != "null" {
				return fmt.Sprint(x)
			}
		}
	}
	if schema["properties"] != nil {
		return "object"
	}
	return ""
}

func num(v any, def float64) float64 {
	switch n := v.(type) {
	case int:
		return float64(n)
	case float64:
		return n
	}
	return def
}

// Markers the JSON encoder keeps intact, replaced after encoding by bytes
// no encoder would write.
const (
	markInvalidUTF8 = "\x01fuzz-invalid-utf8\x01"
	markSurrogate   = "\x01fuzz-surrogate\x01"
)

// nasty is a value that breaks the schema or the text rule.
func (g *generator) nasty() any {
	switch g.rnd.IntN(16) {
	case 0:
		return ""
	case 1:
		return "   "
	case 2:
		return "a\u0000b"
	case 3:
		return markInvalidUTF8
	case 4:
		return markSurrogate
	case 5:
		return strings.Repeat("x", 5000+g.rnd.IntN(5000))
	case 6:
		return -1
	case 7:
		return 1e308
	case 8:
		return nil
	case 9:
		return []any{}
	case 10:
		return map[string]any{}
	case 11:
		return true
	case 12:
		return "'; DROP TABLE vendors; --"
	case 13:
		return "<script>alert(1)</script>"
	case 14:
		return "\u202e\ufeff\U0001F512"
	}
	return 9223372036854775807
}

// mutate changes a generated value: a leaf replaced by a nasty value, a
// property dropped, unknown properties added.
func (g *generator) mutate(v any, depth int) any {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		switch {
		case len(keys) > 0 && g.chance(0.5):
			k := g.pick(keys)
			x[k] = g.mutate(x[k], depth+1)
		case len(keys) > 0 && g.chance(0.4):
			delete(x, g.pick(keys))
		default:
			n := 1
			if g.chance(0.05) {
				n = 1500
			}
			for i := range n {
				x[fmt.Sprintf("unknown_%d", i)] = g.nasty()
			}
		}
		return x
	case []any:
		if len(x) > 0 && g.chance(0.7) {
			i := g.rnd.IntN(len(x))
			x[i] = g.mutate(x[i], depth+1)
			return x
		}
		return append(x, g.nasty())
	}
	return g.nasty()
}

// encode writes v as JSON with the markers replaced.
func encode(v any) []byte {
	data, err := json.Marshal(v)
	if err != nil {
		return []byte("{}")
	}
	s := strings.ReplaceAll(string(data), `\u0001fuzz-invalid-utf8\u0001`, "bad\xff\xfeutf8")
	s = strings.ReplaceAll(s, `\u0001fuzz-surrogate\u0001`, `lone\ud800surrogate`)
	return []byte(s)
}

// rawBody is a body that is not the JSON of any value.
func (g *generator) rawBody(valid []byte) []byte {
	switch g.rnd.IntN(6) {
	case 0:
		return valid[:g.rnd.IntN(len(valid)+1)] // cut short
	case 1:
		return []byte(strings.Repeat("[", 200) + strings.Repeat("]", 200)) // deep
	case 2:
		return []byte("null")
	case 3:
		return []byte("\x00\x01\x02")
	case 4:
		return []byte(`{"a":1,"a":2}`)
	}
	return []byte(`{"` + strings.Repeat("k", 3000) + `":1}`)
}

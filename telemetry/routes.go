package telemetry

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Operation is one operation of the API: its method, path pattern (as in the
// OpenAPI spec, such as /v1/vendors/{id}) and id.
type Operation struct {
	Method, Path, ID string
}

// Unmatched is the operation label of requests that match no operation (the
// docs, the spec, unknown paths).
const Unmatched = "other"

// Routes names the operation a request is for, by matching its method and
// path against the operations' patterns the way the API's mux does.
type Routes struct {
	mux *http.ServeMux
	ids []string
}

// operationID is the handler a pattern is registered with: only its value is
// used, never served.
type operationID string

func (operationID) ServeHTTP(http.ResponseWriter, *http.Request) {}

// NewRoutes returns the routes of ops. It fails when two operations share a
// method and path or a pattern does not parse.
func NewRoutes(ops []Operation) (_ *Routes, err error) {
	defer func() {
		if p := recover(); p != nil { // ServeMux panics on bad or duplicate patterns
			err = fmt.Errorf("telemetry.NewRoutes: %v", p)
		}
	}()
	r := &Routes{mux: http.NewServeMux()}
	for _, op := range ops {
		r.mux.Handle(strings.ToUpper(op.Method)+" "+op.Path, operationID(op.ID))
		r.ids = append(r.ids, op.ID)
	}
	sort.Strings(r.ids)
	return r, nil
}

// Operation returns the id of the operation req is for, or Unmatched.
func (r *Routes) Operation(req *http.Request) string {
	if r == nil {
		return Unmatched
	}
	h, _ := r.mux.Handler(req)
	if id, ok := h.(operationID); ok {
		return string(id)
	}
	return Unmatched
}

// IDs returns the operation ids, sorted.
func (r *Routes) IDs() []string { return r.ids }

// httpMethods are the operation keys of an OpenAPI path item.
var httpMethods = map[string]bool{"get": true, "put": true, "post": true, "delete": true,
	"options": true, "head": true, "patch": true, "trace": true}

// OperationsFromSpec reads the operations of an OpenAPI document (YAML or
// JSON), such as the one openapi.Spec returns.
func OperationsFromSpec(spec []byte) ([]Operation, error) {
	var doc struct {
		Paths map[string]map[string]yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(spec, &doc); err != nil {
		return nil, fmt.Errorf("telemetry.OperationsFromSpec: %w", err)
	}
	var ops []Operation
	for path, item := range doc.Paths {
		for method, node := range item {
			if !httpMethods[method] {
				continue // parameters, summary, ... of the path item
			}
			var op struct {
				OperationID string `yaml:"operationId"`
			}
			if err := node.Decode(&op); err != nil {
				return nil, fmt.Errorf("telemetry.OperationsFromSpec: %s %s: %w", method, path, err)
			}
			ops = append(ops, Operation{Method: strings.ToUpper(method), Path: path, ID: op.OperationID})
		}
	}
	if len(ops) == 0 {
		return nil, fmt.Errorf("telemetry.OperationsFromSpec: the document has no operations")
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].ID < ops[j].ID })
	return ops, nil
}

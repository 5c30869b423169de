package openapi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/danielgtaylor/huma/v2"
)

// pendingNamedHandlers are operations still served by inline closures;
// remove each as its file follows the rule of TestOperationsHaveNamedHandlers.
var pendingNamedHandlers = map[string]bool{}

// TestOperationsHaveNamedHandlers holds the rule that lets a reader find any
// operation of the spec by its operationId: operation get-vendor is
// registered with the method value h.getVendor, whose input is
// *GetVendorInput.
func TestOperationsHaveNamedHandlers(t *testing.T) {
	handlerOf, inputOf := registrations(t)
	for path, item := range document().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete} {
			if op == nil || pendingNamedHandlers[op.OperationID] {
				continue
			}
			method := camel(op.OperationID, false)
			if got := handlerOf[op.OperationID]; got != method {
				t.Errorf("%s (%s) is registered with handler %q, want the method value h.%s", op.OperationID, path, got, method)
				continue
			}
			if want := camel(op.OperationID, true) + "Input"; inputOf[method] != want {
				t.Errorf("%s: handler %s takes *%s, want *%s", op.OperationID, method, inputOf[method], want)
			}
		}
	}
}

// registrations parses the package's source: for each operationId written
// in a huma.Register call, the method of h that call registers, and for each
// method of handlers, the type its input points to.
func registrations(t *testing.T) (handlerOf, inputOf map[string]string) {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	handlerOf, inputOf = map[string]string{}, map[string]string{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				recordRegistration(n, handlerOf)
			case *ast.FuncDecl:
				recordInput(n, inputOf)
			}
			return true
		})
	}
	return handlerOf, inputOf
}

// recordRegistration notes, for a call huma.Register(api, op, h.method) (any
// receiver variable), the method under every string literal of op.
func recordRegistration(call *ast.CallExpr, handlerOf map[string]string) {
	fn, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || fn.Sel.Name != "Register" || len(call.Args) != 3 {
		return
	}
	if pkg, ok := fn.X.(*ast.Ident); !ok || pkg.Name != "huma" {
		return
	}
	handler := "(not a method value of h)"
	if sel, ok := call.Args[2].(*ast.SelectorExpr); ok {
		if _, ok := sel.X.(*ast.Ident); ok {
			handler = sel.Sel.Name
		}
	}
	ast.Inspect(call.Args[1], func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil {
				handlerOf[s] = handler
			}
		}
		return true
	})
}

// recordInput notes the input type of a method func (h *handlers) m(ctx, in *T).
func recordInput(fn *ast.FuncDecl, inputOf map[string]string) {
	if fn.Recv == nil || len(fn.Type.Params.List) != 2 {
		return
	}
	if star, ok := fn.Type.Params.List[1].Type.(*ast.StarExpr); ok {
		if id, ok := star.X.(*ast.Ident); ok {
			inputOf[fn.Name.Name] = id.Name
		}
	}
}

// camel turns an operationId such as get-vendor-roadmap into getVendorRoadmap
// (or GetVendorRoadmap when upper).
func camel(id string, upper bool) string {
	parts := strings.Split(id, "-")
	for i, p := range parts {
		if p != "" && (i > 0 || upper) {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "")
}

// TestEveryOperationDeclaresCommonErrors checks the spec tells clients of
// every operation, public ones and health checks included, about the 401
// of a key that does not authenticate and the 429 of a rate limit.
func TestEveryOperationDeclaresCommonErrors(t *testing.T) {
	for path, item := range document().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete} {
			if op == nil {
				continue
			}
			for _, code := range []string{"401", "429"} {
				r := op.Responses[code]
				if r == nil || r.Content["application/problem+json"] == nil {
					t.Errorf("%s (%s) does not declare %s as a problem", op.OperationID, path, code)
				}
			}
		}
	}
}

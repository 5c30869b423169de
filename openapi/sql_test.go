package openapi_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// source is one Go file of the module.
type source struct {
	path string // relative to the module root
	src  string
}

// goFiles returns the non-test Go files under the module directories dirs
// (all of the module when none are named).
func goFiles(t *testing.T, dirs ...string) []source {
	t.Helper()
	if len(dirs) == 0 {
		dirs = []string{"."}
	}
	var out []source
	for _, dir := range dirs {
		err := filepath.WalkDir(filepath.Join("..", dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && d.Name() != "." && d.Name() != ".." || d.Name() == "node_modules" || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel("..", path)
			out = append(out, source{path: filepath.ToSlash(rel), src: string(src)})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no Go files under %v", dirs)
	}
	return out
}

// sqlAllowed lists the files (path) and functions (path:Func) that pass the
// database SQL text that is not a constant expression, and why that is safe.
// Everything else must pass SQL as constants, with values as parameters
// ($1, $2, ...).
var sqlAllowed = map[string]string{
	// Its callers pass constant statements; it only runs them.
	"catalog/store_index.go:indexEntries": "runs constant statements its callers pass",
	// LISTEN takes no parameters; the channel is a constant, quoted.
	"catalog/outbox.go:listen": "LISTEN on a constant channel name (OutboxChannel, ChangesChannel) quoted with pgx.Identifier",
	// Its two callers pass constant table names (the change log and the
	// webhook events with their counters), quoted with pgx.Identifier.
	"catalog/changelog.go:numberPending": "constant table names of its two callers, quoted with pgx.Identifier",
	// Table and key column names come from a fixed list in the same file
	// (the reference tables); no request value reaches them.
	"compliance/refstore/sync.go": "identifiers from a compiled-in table list",
	// Test databases are named by the package itself and quoted with
	// pgx.Identifier.Sanitize.
	"catalog/catalogtest/catalogtest.go": "database names made and quoted by the package",
}

// sqlKeywords marks a format string as SQL.
var sqlKeywords = regexp.MustCompile(`(?i)\b(select|insert\s+into|update\s+\S+\s+set|delete\s+from|create\s+(table|database|index)|drop\s+|alter\s+table)\b`)

// TestSQLIsParameterized walks every Go file of the module: the SQL text
// handed to the database (Query, QueryRow, Exec, Prepare, Batch.Queue) must
// be a constant expression (literals and named constants), so that request
// values can only arrive as parameters; and no fmt.Sprintf builds SQL. The
// reviewed exceptions are in sqlAllowed.
func TestSQLIsParameterized(t *testing.T) {
	calls := 0
	for _, f := range goFiles(t) {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f.path, f.src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("%s: %v", f.path, err)
		}
		// The constants of the file's package (declared anywhere in it).
		consts := packageConsts(t, filepath.Dir(f.path))
		_, fileAllowed := sqlAllowed[f.path]
		allowed := fileAllowed
		ast.Inspect(file, func(n ast.Node) bool {
			if fn, ok := n.(*ast.FuncDecl); ok {
				_, funcAllowed := sqlAllowed[f.path+":"+fn.Name.Name]
				allowed = fileAllowed || funcAllowed
			}
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "fmt" && strings.HasPrefix(sel.Sel.Name, "Sprint") && len(call.Args) > 0 {
				if lit, ok := call.Args[0].(*ast.BasicLit); ok && sqlKeywords.MatchString(lit.Value) && !allowed {
					t.Errorf("%s: fmt.%s builds SQL text", fset.Position(call.Pos()), sel.Sel.Name)
				}
				return true
			}
			arg := map[string]int{"Query": 1, "QueryRow": 1, "Exec": 1, "Prepare": 2, "Queue": 0}
			i, ok := arg[sel.Sel.Name]
			if !ok || len(call.Args) <= i {
				return true
			}
			calls++
			if !constant(call.Args[i], consts) && !allowed {
				t.Errorf("%s: %s gets SQL that is not a constant expression; pass values as $n parameters (or review and list the file in sqlAllowed)",
					fset.Position(call.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
	if calls < 40 {
		t.Errorf("found only %d database calls: is the walk broken?", calls)
	}
}

// constant reports whether e is built only of string literals and named
// constants.
func constant(e ast.Expr, consts map[string]bool) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return x.Kind == token.STRING
	case *ast.Ident:
		return consts[x.Name]
	case *ast.ParenExpr:
		return constant(x.X, consts)
	case *ast.BinaryExpr:
		return x.Op == token.ADD && constant(x.X, consts) && constant(x.Y, consts)
	}
	return false
}

var constCache = map[string]map[string]bool{}

// packageConsts returns the names of the constants declared in the package
// in dir (relative to the module root), at package level or in functions.
func packageConsts(t *testing.T, dir string) map[string]bool {
	if c, ok := constCache[dir]; ok {
		return c
	}
	out := map[string]bool{}
	entries, err := os.ReadDir(filepath.Join("..", dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("..", dir, e.Name()), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if g, ok := n.(*ast.GenDecl); ok && g.Tok == token.CONST {
				for _, s := range g.Specs {
					for _, name := range s.(*ast.ValueSpec).Names {
						out[name.Name] = true
					}
				}
			}
			return true
		})
	}
	constCache[dir] = out
	return out
}

// TestSQLCheckCatchesConcatenation keeps the checker honest: it must flag
// the shapes it exists to catch.
func TestSQLCheckCatchesConcatenation(t *testing.T) {
	consts := map[string]bool{"columns": true}
	for src, want := range map[string]bool{
		`"SELECT 1 FROM t WHERE id = $1"`:    true,
		"`SELECT ` + columns + ` FROM t`":    true,
		`"SELECT * FROM t WHERE id = " + id`: false,
		`fmt.Sprintf("SELECT %s", x)`:        false,
		`query`:                              false,
		`strconv.Quote(x)`:                   false,
	} {
		e, err := parser.ParseExpr(src)
		if err != nil {
			t.Fatal(err)
		}
		if got := constant(e, consts); got != want {
			t.Errorf("constant(%s) = %v, want %v", src, got, want)
		}
	}
	_ = strconv.Quote
}

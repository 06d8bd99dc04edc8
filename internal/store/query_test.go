package store_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"
	"testing"
)

// runnerFile is the one file of the store that may call database/sql.
const runnerFile = "query.go"

// TestQueriesGoThroughTheRunner fails when the store runs SQL on a
// *sql.DB, *sql.Tx, *sql.Conn or *sql.Stmt (or an interface that may hold
// one) anywhere but query.go: such a call skips the ? → $n rebinding,
// which breaks on PostgreSQL only, and the prepared-statement caches.
func TestQueriesGoThroughTheRunner(t *testing.T) {
	fset := token.NewFileSet()
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") && p != "export_test.go" {
			continue // export_test.go is the only test file inside the package
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if len(files) < 10 {
		t.Fatalf("found only %d files of the store", len(files))
	}
	// database/sql's types come from the build's export data; the store's
	// other imports are not needed to know a receiver's type, so they stay
	// empty and the errors they cause are ignored.
	std := importer.Default()
	conf := types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "database/sql" || path == "context" {
				return std.Import(path)
			}
			return types.NewPackage(path, filepath.Base(path)), nil
		}),
		Error: func(error) {},
	}
	info := &types.Info{Selections: map[*ast.SelectorExpr]*types.Selection{}}
	conf.Check("dastan/internal/store", fset, files, info)

	runs := map[string]bool{"Query": true, "QueryContext": true, "QueryRow": true, "QueryRowContext": true,
		"Exec": true, "ExecContext": true, "Prepare": true, "PrepareContext": true}
	checked := 0
	for _, f := range files {
		name := filepath.Base(fset.Position(f.Pos()).Filename)
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || !runs[sel.Sel.Name] {
				return true
			}
			s, ok := info.Selections[sel]
			if !ok {
				t.Errorf("%s: cannot tell the type of %s's receiver", fset.Position(call.Pos()), sel.Sel.Name)
				return true
			}
			// database/sql's own types, or an interface that could hold one.
			recv := types.TypeString(s.Recv(), nil)
			_, isInterface := s.Recv().Underlying().(*types.Interface)
			if !strings.HasPrefix(strings.TrimPrefix(recv, "*"), "database/sql.") && !isInterface {
				return true
			}
			checked++
			if name != runnerFile {
				t.Errorf("%s: %s on %s: run SQL through the methods of %s (read, readRow, write, txExec …), which rebind ? for PostgreSQL",
					fset.Position(call.Pos()), sel.Sel.Name, recv, runnerFile)
			}
			return true
		})
	}
	if checked == 0 {
		t.Fatal("found no calls into database/sql at all: the check is not looking where it should")
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

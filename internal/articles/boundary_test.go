package articles_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// storeWrites are the store's article writes: only this package calls
// them, so that permissions, preparation, the clock, the owner and the
// audit entry are never skipped. (No other type has methods of these
// names.)
var storeWrites = map[string]bool{
	"SaveArticle": true, "WriteArticle": true, "SetArticleOwner": true, "TrashArticle": true, "RestoreArticle": true,
	"ImportArticles": true, "WriteWPItems": true, "UpdateRendered": true,
}

// TestArticlesAreWrittenOnlyHere parses every non-test Go file outside
// this package, the store and the tests' fixtures, and fails on a call of news.Prepare or of
// one of the store's article writes: each rule of the workflow has one
// place, and it is here.
func TestArticlesAreWrittenOnlyHere(t *testing.T) {
	root := moduleRoot(t)
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			switch {
			case rel != "." && strings.HasPrefix(d.Name(), "."), rel == "internal/articles", rel == "internal/store", d.Name() == "testdata",
				rel == "internal/fixtures": // tests' set-up, which stores articles as a test needs them
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		checked++
		newsName := ""
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == "dastan/internal/news" {
				newsName = "news"
				if imp.Name != nil {
					newsName = imp.Name.Name
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && newsName != "" && x.Name == newsName && sel.Sel.Name == "Prepare" {
				t.Errorf("%s: calls news.Prepare; prepare articles through the articles service", fset.Position(call.Pos()))
			}
			if storeWrites[sel.Sel.Name] {
				t.Errorf("%s: calls %s; write articles through the articles service", fset.Position(call.Pos()), sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked only %d files under %s", checked, root)
	}
}

// moduleRoot is the directory holding go.mod, above the test's own.
func moduleRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

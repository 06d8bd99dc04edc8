package links

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

// The scheme is written once, in links.go. These tests read the rest of
// the module and fail where a link is assembled from string pieces
// somewhere else, so that a new page or feed cannot quietly grow a
// second copy of a path.

// routeMarkers are the parts of Dastan's paths that only this package
// may put into a built string.
var routeMarkers = []string{"/category/", "/tag/", "/author/", "/feed/", "/page/", "/newsroom/",
	"/search/", "/rates/", "/sitemap", "/static/"}

// wordpressScheme are files that write WordPress's own addresses — the
// old site's, which the importer redirects from — not Dastan's.
var wordpressScheme = map[string]bool{
	"internal/wordpress/permalink.go":       true,
	"internal/wordpress/wxrgen/generate.go": true,
}

// moduleRoot is the repository's top folder, two up from this package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod above internal/links: %v", err)
	}
	return root
}

// sources walks the module's files whose names end in ext, skipping this
// package, tests, and test data; fn gets the path relative to the root.
func sources(t *testing.T, ext string, fn func(rel, abs string)) {
	t.Helper()
	root := moduleRoot(t)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "internal/links" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ext) && !strings.HasSuffix(p, "_test.go") && !wordpressScheme[rel] {
			fn(rel, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// stringLit returns the value of a string literal expression.
func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// concatOperands flattens a + b + c into its operands, left to right.
func concatOperands(e ast.Expr) []ast.Expr {
	if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.ADD {
		return append(concatOperands(b.X), concatOperands(b.Y)...)
	}
	return []ast.Expr{e}
}

// builtPath says why the pieces of a concatenation or a format string
// look like one of Dastan's links, or "".
func builtPath(pieces []ast.Expr) string {
	var lits []string
	allLit := true
	for _, p := range pieces {
		s, ok := stringLit(p)
		if !ok {
			allLit = false
			continue
		}
		lits = append(lits, s)
	}
	if allLit {
		return "" // a constant split over lines is not assembled
	}
	for _, s := range lits {
		if strings.HasPrefix(s, "page/") || strings.HasPrefix(s, "feed/") {
			return "appends " + strconv.Quote(s) + " to a listing"
		}
		for _, m := range routeMarkers {
			if strings.Contains(s, m) {
				return "joins " + strconv.Quote(m) + " to other pieces"
			}
		}
	}
	first, ok1 := stringLit(pieces[0])
	last, ok2 := stringLit(pieces[len(pieces)-1])
	if ok1 && ok2 && first == "/" && strings.HasPrefix(last, "/") {
		return `wraps a value in "/" … "/" (an article's permalink?)`
	}
	return ""
}

// formatFuncs are the fmt functions whose format argument is checked.
var formatFuncs = map[string]int{"Sprintf": 0, "Errorf": 0, "Printf": 0, "Fprintf": 1, "Appendf": 1}

// findBuilt reports every place under root where a link is assembled.
func findBuilt(root ast.Node, report func(n ast.Node, why string)) {
	ast.Inspect(root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if n.Op != token.ADD {
				return true
			}
			if why := builtPath(concatOperands(n)); why != "" {
				report(n, why)
			}
			return false // the operands were seen whole
		case *ast.CallExpr:
			if why := formattedPath(n); why != "" {
				report(n, why)
			}
		}
		return true
	})
}

// formattedPath says why a fmt call formats one of Dastan's links, or "".
func formattedPath(call *ast.CallExpr) string {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "fmt" {
		return ""
	}
	i, ok := formatFuncs[sel.Sel.Name]
	if !ok || len(call.Args) <= i {
		return ""
	}
	format, ok := stringLit(call.Args[i])
	if !ok || !strings.Contains(format, "%") {
		return ""
	}
	for _, m := range routeMarkers {
		if strings.Contains(format, m) {
			return "formats a path with " + strconv.Quote(m)
		}
	}
	if strings.HasPrefix(format, "/") || strings.Contains(format, `="/`) {
		return "formats a site path"
	}
	return ""
}

func TestNoPathBuiltOutsideLinks(t *testing.T) {
	sources(t, ".go", func(rel, abs string) {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, abs, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		findBuilt(f, func(n ast.Node, why string) {
			t.Errorf("%s:%d: a link is built here (%s); use internal/links", rel, fset.Position(n.Pos()).Line, why)
		})
	})
}

// siteAttr finds an attribute whose value is a site path written out.
var siteAttr = regexp.MustCompile(`\b(href|src|action|formaction|poster)=\\?["']/`)

func TestNoPathWrittenInTemplates(t *testing.T) {
	check := func(rel, text string) {
		for i, line := range strings.Split(text, "\n") {
			if siteAttr.MatchString(line) {
				t.Errorf("%s:%d: a path is written out in a template; call the links FuncMap: %s", rel, i+1, strings.TrimSpace(line))
			}
		}
	}
	sources(t, ".html", func(rel, abs string) {
		b, err := os.ReadFile(abs)
		if err != nil {
			t.Fatal(err)
		}
		check(rel, string(b))
	})
	// Templates kept in Go strings (the ticker's) are templates too.
	sources(t, ".go", func(rel, abs string) {
		b, err := os.ReadFile(abs)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "{{") {
			check(rel, string(b))
		}
	})
}

// The guard must see what it guards against: a source with each kind of
// assembled link is reported, and one that calls this package is not.
func TestGuardCatchesBuiltPaths(t *testing.T) {
	bad := map[string]string{
		`"/category/" + p + "/"`:     "concatenation with a marker",
		`"/" + slug + "/"`:           "a permalink",
		`siteURL + "/tag/" + s`:      "an absolute tag link",
		`"see /newsroom/x/" + n`:     "a marker inside a message",
		`fmt.Sprintf("/%d/", y)`:     "a formatted archive",
		`fmt.Sprintf("/feed/%s", f)`: "a formatted feed",
		`base + "page/" + n + "/"`:   "a listing's page",
	}
	for src, what := range bad {
		if !flagged(t, src) {
			t.Errorf("%s (%s) was not reported", src, what)
		}
	}
	for _, src := range []string{`links.Tag(s) + "?x=1"`, `"/category/"`, `"a" + "/tag/"`, `path.Clean("/" + rel)`} {
		if flagged(t, src) {
			t.Errorf("%s was reported", src)
		}
	}
}

func flagged(t *testing.T, src string) bool {
	e, err := parser.ParseExpr(src)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	findBuilt(e, func(ast.Node, string) { found = true })
	return found
}

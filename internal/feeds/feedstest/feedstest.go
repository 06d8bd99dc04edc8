// Package feedstest checks sitemaps against the official XML schemas kept
// in internal/feeds/testdata, with xmllint from libxml2.
package feedstest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// The schemas a document can be checked against.
const (
	Sitemap      = "sitemap.xsd"
	SitemapIndex = "siteindex.xsd"
	NewsSitemap  = "news-urlset.xsd"
	// SitemapAlternates is a sitemap whose URLs may list their
	// language versions (xhtml:link hreflang alternates).
	SitemapAlternates = "alternates-urlset.xsd"
)

// Validate fails t unless doc is valid under schema. Where xmllint is not
// installed the test is skipped with a message — except under CI, where
// that is a failure.
func Validate(t testing.TB, schema string, doc []byte) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("feedstest: xmllint is not installed (Debian: libxml2-utils)")
		}
		t.Skip("feedstest: xmllint is not installed (Debian: libxml2-utils); sitemaps not validated")
	}
	_, file, _, _ := runtime.Caller(0)
	xsd := filepath.Join(filepath.Dir(file), "..", "testdata", schema)
	f := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(f, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--nonet", "--schema", xsd, f).CombinedOutput()
	if err != nil {
		t.Errorf("%s: not valid under %s: %v\n%s", f, schema, err, out)
	}
}

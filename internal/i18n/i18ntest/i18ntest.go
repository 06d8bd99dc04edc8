// Package i18ntest checks a package's templates against the message
// catalogue: every key a template asks for exists in every language, and
// no words a reader or an editor sees are written into a template instead
// of the catalogue.
package i18ntest

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"text/template/parse"
	"unicode"

	"golang.org/x/net/html"

	"dastan/internal/i18n"
)

// CheckTemplates reads the templates matching glob in fsys and fails t on
// a key missing from any catalogue and on literal text outside it.
func CheckTemplates(t *testing.T, fsys fs.FS, glob string) {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(fsys, glob)
	if err != nil || len(names) == 0 {
		t.Fatalf("no templates match %q (%v)", glob, err)
	}
	for _, name := range names {
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		keys, prefixes := Keys(t, name, string(src))
		for _, prefix := range prefixes {
			if !hasPrefix(cat, prefix+".") {
				t.Errorf("%s: no message names a value of %q", name, prefix)
			}
		}
		for _, key := range keys {
			for _, lang := range cat.Languages() {
				if _, ok := cat.Message(lang, key); !ok {
					t.Errorf("%s: key %q is missing from the %s catalogue", name, key, lang)
				}
			}
		}
		for _, text := range Literals(string(src)) {
			t.Errorf("%s: %q is written into the template; put it in the catalogue (internal/i18n/locales)", name, text)
		}
	}
}

func hasPrefix(cat *i18n.Catalogue, prefix string) bool {
	for _, id := range cat.IDs(i18n.Default) {
		if strings.HasPrefix(id, prefix) {
			return true
		}
	}
	return false
}

// Keys lists the message keys a template's t and tn calls name, and the
// prefixes its tv calls name values under.
func Keys(t *testing.T, name, src string) (keys, prefixes []string) {
	t.Helper()
	trees, err := parse.Parse(name, src, "{{", "}}")
	if err != nil {
		// Parse wants every function declared; SkipFuncCheck does without.
		tr := parse.New(name)
		tr.Mode = parse.SkipFuncCheck
		trees = map[string]*parse.Tree{}
		if _, err = tr.Parse(src, "{{", "}}", trees); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, cmd := range n.Cmds {
				for i, arg := range cmd.Args {
					if id, ok := arg.(*parse.IdentifierNode); ok && (id.Ident == "t" || id.Ident == "tn" || id.Ident == "tv") && i+1 < len(cmd.Args) {
						if s, ok := cmd.Args[i+1].(*parse.StringNode); ok && id.Ident == "tv" {
							prefixes = append(prefixes, s.Text)
						} else if ok {
							keys = append(keys, s.Text)
						} else {
							t.Errorf("%s: %s takes its key as a quoted string, so that it can be checked", name, id.Ident)
						}
					}
					walk(arg)
				}
			}
		}
	}
	for _, tr := range trees {
		walk(tr.Root)
	}
	return keys, prefixes
}

var action = regexp.MustCompile(`(?s)\{\{.*?\}\}`)

// unsaid are elements whose text is code, not words: scripts, styles,
// and code shown as it must be typed ("Authorization: Bearer …").
var unsaid = map[string]bool{"script": true, "style": true, "code": true}

// seenAttrs are the attributes whose words a person reads or hears.
var seenAttrs = map[string]bool{"placeholder": true, "title": true, "aria-label": true, "alt": true, "label": true}

// Literals lists the words in a template's HTML, outside its actions:
// text between tags and the attributes people read, except addresses
// shown as examples ("/2019/05/old-story/").
func Literals(src string) []string {
	z := html.NewTokenizer(strings.NewReader(action.ReplaceAllString(src, "{{}}")))
	var found []string
	skip := 0 // inside an unsaid element
	for {
		switch z.Next() {
		case html.ErrorToken:
			return found
		case html.TextToken:
			if text := string(z.Text()); skip == 0 && wordy(text) {
				found = append(found, strings.TrimSpace(text))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if unsaid[tok.Data] {
				skip++
			}
			for _, a := range tok.Attr {
				if seenAttrs[a.Key] && wordy(a.Val) {
					found = append(found, a.Key+"="+a.Val)
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); unsaid[string(name)] {
				skip--
			}
		}
	}
}

// wordy reports whether s has a letter that is not part of an address.
func wordy(s string) bool {
	for _, f := range strings.Fields(strings.ReplaceAll(s, "{{}}", " ")) {
		if strings.HasPrefix(f, "/") {
			continue
		}
		for _, r := range f {
			if unicode.IsLetter(r) {
				return true
			}
		}
	}
	return false
}

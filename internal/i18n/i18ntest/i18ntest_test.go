package i18ntest

import (
	"reflect"
	"testing"
)

func TestLiteralsFindsWordsOutsideTheCatalogue(t *testing.T) {
	src := `{{define "main"}}<p>{{t "a"}}</p><button title="Bold">{{t "b"}}</button>
<label>Name <input placeholder="/2019/05/old/"></label><code>Authorization: Bearer</code>
<a aria-label="Remove {{.X}}">×</a> — {{.Y}} · &copy;{{end}}`
	got := Literals(src)
	want := []string{"title=Bold", "Name", "aria-label=Remove {{}}"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestKeysReadsTAndTnAndTv(t *testing.T) {
	keys, prefixes := Keys(t, "x", `{{define "main"}}{{t "a.b" "N" 1}}{{if .X}}{{tn "c" .N}}{{end}}{{range .R}}{{tv "nr.status" .}}{{end}}{{end}}`)
	if !reflect.DeepEqual(keys, []string{"a.b", "c"}) || !reflect.DeepEqual(prefixes, []string{"nr.status"}) {
		t.Errorf("keys %q, prefixes %q", keys, prefixes)
	}
}

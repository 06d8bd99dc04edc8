package wordpress

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Polylang, WordPress's common plugin for multilingual sites, keeps its
// data in two taxonomies that an export carries like any other: each post
// is in one term of "language" (nicename "en", "ru" …), and the posts
// that translate one another share a term of "post_translations", whose
// description is a PHP-serialized array of language → post id,
// a:2:{s:2:"en";i:12;s:2:"ru";i:13;}. An import takes each article's
// language from the first and, once every post is written, links the
// translations to their original from the second. Neither becomes a tag
// or a section.

const (
	taxLanguage     = "language"
	taxTranslations = "post_translations"
)

// itemLang returns the language an item's Polylang term gives it, if
// any; unknown says the term names a language Dastan does not publish in.
func itemLang(it *Item) (lang string, unknown string) {
	for _, t := range it.Terms {
		if t.Domain != taxLanguage {
			continue
		}
		switch l := strings.ToLower(t.Nicename); l {
		case "en", "ru":
			return l, ""
		default:
			return "", t.Nicename
		}
	}
	return "", ""
}

// translationGroup is one post_translations term: the WordPress posts of
// one story, by language.
type translationGroup struct {
	slug  string
	posts map[string]int64
}

// addTranslations records a post_translations term, or warns when its
// description cannot be read: those posts are then imported unlinked.
func (im *importer) addTranslations(t *Term) {
	posts, err := parsePHPLangIDs(t.Description)
	if err != nil {
		im.report.note(fmt.Sprintf("Polylang translations %q (term %d): its description is not a list of translations (%v); its posts are imported without their translation links", t.Slug, t.TermID, err))
		return
	}
	im.translations = append(im.translations, translationGroup{slug: t.Slug, posts: posts})
}

// linkTranslations links, once every post is in, each translation to the
// original of its story: the post in the site's language, or the one
// WordPress numbered first when no post is in it. The stories are
// linked a batch at a time, their posts looked up by WordPress id.
func (im *importer) linkTranslations(ctx context.Context) error {
	groups := im.translations
	for len(groups) > 0 {
		n := min(len(groups), im.opt.BatchSize)
		if err := im.linkGroups(ctx, groups[:n]); err != nil {
			return err
		}
		groups = groups[n:]
	}
	return nil
}

// linkGroups links the translations of a batch of stories.
func (im *importer) linkGroups(ctx context.Context, groups []translationGroup) error {
	var wpIDs []int64
	for _, g := range groups {
		for _, wp := range g.posts {
			wpIDs = append(wpIDs, wp)
		}
	}
	local, err := im.db.WPLocalIDs(ctx, []string{"post", "page"}, wpIDs)
	if err != nil {
		return err
	}
	links := map[int64]int64{}
	wpOf := map[int64]int64{}
	for _, g := range groups {
		var ids []int64
		for _, wp := range g.posts {
			if id, ok := local[wp]; ok {
				ids = append(ids, wp)
				wpOf[id] = wp
			}
		}
		if len(ids) < 2 {
			continue
		}
		slices.Sort(ids)
		orig := ids[0]
		if wp, ok := g.posts[im.lang]; ok && local[wp] != 0 {
			orig = wp
		}
		for _, wp := range ids {
			if wp != orig {
				links[local[wp]] = local[orig]
			}
		}
	}
	n, refused, err := im.arts.LinkImported(ctx, links)
	if err != nil {
		return err
	}
	im.report.mu.Lock()
	im.report.Linked += n
	im.report.mu.Unlock()
	for id, why := range refused {
		im.report.note(fmt.Sprintf("post %d was not linked to its translation: %v", wpOf[id], why))
	}
	return nil
}

// parsePHPLangIDs reads the PHP-serialized array Polylang writes in a
// post_translations term's description: string keys (languages), integer
// values (post ids), a:2:{s:2:"en";i:12;s:2:"ru";i:13;}.
func parsePHPLangIDs(s string) (map[string]int64, error) {
	p := &phpReader{s: strings.TrimSpace(s)}
	n, err := p.header('a')
	if err != nil {
		return nil, err
	}
	if err := p.expect(":{"); err != nil {
		return nil, err
	}
	out := make(map[string]int64, n)
	for range n {
		lang, err := p.str()
		if err != nil {
			return nil, err
		}
		id, err := p.id()
		if err != nil {
			return nil, err
		}
		out[strings.ToLower(lang)] = id
	}
	if err := p.expect("}"); err != nil {
		return nil, err
	}
	if p.i != len(p.s) {
		return nil, errors.New("text after the array")
	}
	return out, nil
}

// phpReader reads the few serialized values Polylang writes.
type phpReader struct {
	s string
	i int
}

func (p *phpReader) expect(lit string) error {
	if !strings.HasPrefix(p.s[p.i:], lit) {
		return fmt.Errorf("expected %q at character %d", lit, p.i+1)
	}
	p.i += len(lit)
	return nil
}

// header reads kind:count.
func (p *phpReader) header(kind byte) (int, error) {
	if err := p.expect(string(kind) + ":"); err != nil {
		return 0, err
	}
	j := p.i
	for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
		j++
	}
	n, err := strconv.Atoi(p.s[p.i:j])
	if err != nil || n > 1000 {
		return 0, fmt.Errorf("expected a count at character %d", p.i+1)
	}
	p.i = j
	return n, nil
}

// str reads s:len:"text";.
func (p *phpReader) str() (string, error) {
	n, err := p.header('s')
	if err != nil {
		return "", err
	}
	if err := p.expect(":\""); err != nil {
		return "", err
	}
	if p.i+n > len(p.s) {
		return "", errors.New("a string runs past the end")
	}
	v := p.s[p.i : p.i+n]
	p.i += n
	return v, p.expect("\";")
}

// id reads a post id: i:12; or, as some versions write, s:2:"12";.
func (p *phpReader) id() (int64, error) {
	if strings.HasPrefix(p.s[p.i:], "s:") {
		v, err := p.str()
		if err != nil {
			return 0, err
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return 0, fmt.Errorf("%q is not a post id", v)
		}
		return id, nil
	}
	if err := p.expect("i:"); err != nil {
		return 0, err
	}
	end := strings.IndexByte(p.s[p.i:], ';')
	if end < 0 {
		return 0, errors.New("a number runs past the end")
	}
	id, err := strconv.ParseInt(p.s[p.i:p.i+end], 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%q is not a post id", p.s[p.i:p.i+end])
	}
	p.i += end + 1
	return id, nil
}

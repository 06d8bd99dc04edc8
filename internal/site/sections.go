package site

import (
	"context"
	"sync"

	"dastan/internal/news"
	"dastan/internal/store"
)

// sectionTree is the site's sections in memory: they are few, and every
// page's navigation needs them.
type sectionTree struct {
	all      []news.Section
	byID     map[int64]news.Section
	byPath   map[string]news.Section
	children map[int64][]int64
}

func newSectionTree(all []news.Section) *sectionTree {
	t := &sectionTree{all: all, byID: map[int64]news.Section{}, byPath: map[string]news.Section{}, children: map[int64][]int64{}}
	for _, s := range all {
		t.byID[s.ID] = s
		t.byPath[s.Path] = s
		t.children[s.ParentID] = append(t.children[s.ParentID], s.ID)
	}
	return t
}

// top returns the sections at the root, in position order.
func (t *sectionTree) top() []news.Section {
	var out []news.Section
	for _, id := range t.children[0] {
		out = append(out, t.byID[id])
	}
	sortSections(out)
	return out
}

// kids returns a section's direct children, in position order.
func (t *sectionTree) kids(id int64) []news.Section {
	var out []news.Section
	for _, c := range t.children[id] {
		out = append(out, t.byID[c])
	}
	sortSections(out)
	return out
}

func sortSections(s []news.Section) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && (s[j].Position < s[j-1].Position || (s[j].Position == s[j-1].Position && s[j].Name < s[j-1].Name)); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// subtree returns id and all its descendants: a section's listing shows
// its children's articles too (News shows Kazakhstan's).
func (t *sectionTree) subtree(id int64) []int64 {
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		out = append(out, t.children[out[i]]...)
	}
	return out
}

// chain returns the section and its ancestors, root first.
func (t *sectionTree) chain(id int64) []news.Section {
	var out []news.Section
	for id != 0 {
		s, ok := t.byID[id]
		if !ok {
			break
		}
		out = append([]news.Section{s}, out...)
		id = s.ParentID
	}
	return out
}

// sectionCache loads the tree on first use after a change.
type sectionCache struct {
	db    *store.DB
	mu    sync.Mutex
	tree  *sectionTree
	stale bool
}

func (c *sectionCache) dirty() {
	c.mu.Lock()
	c.stale = true
	c.mu.Unlock()
}

func (c *sectionCache) get(ctx context.Context) (*sectionTree, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tree != nil && !c.stale {
		return c.tree, nil
	}
	all, err := c.db.Sections(ctx)
	if err != nil {
		return nil, err
	}
	c.tree, c.stale = newSectionTree(all), false
	return c.tree, nil
}

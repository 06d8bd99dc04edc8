package api

import (
	"context"

	"dastan/internal/news"
	"dastan/internal/store"
)

// WordPress ids. After an import, the WordPress API answers with the ids
// the old site gave: a post, page, category, tag or author brought over
// from WordPress has its WordPress id in every id the API sends and
// reads (/posts/{id}, categories=, tags=, author=, include=, parent=,
// post=, and the ids inside answers). What was made in Dastan is numbered
// above the largest imported WordPress id of its kind (its Dastan id plus
// that number), so the two never meet. Before any import the offsets are
// 0 and every id is Dastan's own. Media keep Dastan's ids.

// wpKind is a space of WordPress ids with the local rows it names.
type wpKind int

const (
	wpArticle  wpKind = iota // posts and pages (WordPress's posts table, attachments included)
	wpCategory               // sections
	wpTag                    // tags
	wpAuthor                 // bylines (WordPress's users)
)

// wpSpaces are the import map's kinds that share a kind's WordPress id
// space (which sets its offset), and those whose local rows it names.
var wpSpaces = map[wpKind]struct{ space, local []string }{
	wpArticle:  {[]string{"post", "page", "attachment"}, []string{"post", "page"}},
	wpCategory: {[]string{"category", "tag"}, []string{"category"}},
	wpTag:      {[]string{"category", "tag"}, []string{"tag"}},
	wpAuthor:   {[]string{"author"}, []string{"author"}},
}

// wpIDs translates ids for one request.
type wpIDs struct {
	db      *store.DB
	offset  map[wpKind]int64
	toWP    map[wpKind]map[int64]int64 // local → WordPress, for what load saw
	imports bool                       // anything was ever imported
}

// wpIDs reads the offsets; on a store without imports it costs one query
// per space and translates nothing.
func (a *API) wpIDs(ctx context.Context) (*wpIDs, error) {
	x := &wpIDs{db: a.db, offset: map[wpKind]int64{}, toWP: map[wpKind]map[int64]int64{}}
	for k, sp := range wpSpaces {
		n, err := a.db.WPMaxID(ctx, sp.space...)
		if err != nil {
			return nil, err
		}
		x.offset[k] = n
		x.imports = x.imports || n > 0
		x.toWP[k] = map[int64]int64{}
	}
	return x, nil
}

// wp is the id the API shows for local row id of kind k. Rows load did
// not see count as made in Dastan.
func (x *wpIDs) wp(k wpKind, id int64) int64 {
	if id == 0 || x == nil || !x.imports {
		return id
	}
	if w, ok := x.toWP[k][id]; ok {
		return w
	}
	return id + x.offset[k]
}

// learn looks up the WordPress ids of local rows of kind k.
func (x *wpIDs) learn(ctx context.Context, k wpKind, ids []int64) error {
	if x == nil || !x.imports || len(ids) == 0 {
		return nil
	}
	var need []int64
	for _, id := range ids {
		if _, ok := x.toWP[k][id]; !ok && id != 0 {
			need = append(need, id)
		}
	}
	m, err := x.db.WPIDsOf(ctx, wpSpaces[k].local, need)
	if err != nil {
		return err
	}
	for id, w := range m {
		x.toWP[k][id] = w
	}
	return nil
}

// load learns the ids of articles and of the sections, tags and bylines
// they name.
func (x *wpIDs) load(ctx context.Context, _ *store.DB, list []news.Article) error {
	if x == nil || !x.imports {
		return nil
	}
	var arts, secs, tags, auths []int64
	for _, ar := range list {
		arts = append(arts, ar.ID)
		secs = append(secs, ar.SectionID)
		for _, t := range ar.Tags {
			tags = append(tags, t.ID)
		}
		for _, au := range ar.Authors {
			auths = append(auths, au.ID)
		}
	}
	for _, l := range []struct {
		k   wpKind
		ids []int64
	}{{wpArticle, arts}, {wpCategory, secs}, {wpTag, tags}, {wpAuthor, auths}} {
		if err := x.learn(ctx, l.k, l.ids); err != nil {
			return err
		}
	}
	return nil
}

// locals reads ids a client sent as local ones; an id that names nothing
// becomes 0, which matches nothing.
func (x *wpIDs) locals(ctx context.Context, k wpKind, ids []int64) ([]int64, error) {
	if x == nil || !x.imports || len(ids) == 0 {
		return ids, nil
	}
	byWP, err := x.db.WPLocalIDs(ctx, wpSpaces[k].local, ids)
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(ids))
	var native []int64
	for i, id := range ids {
		if l, ok := byWP[id]; ok {
			out[i] = l
		} else if id > x.offset[k] {
			out[i] = id - x.offset[k]
			native = append(native, out[i])
		}
	}
	// A row that was imported answers only at its WordPress id.
	if err := x.learn(ctx, k, native); err != nil {
		return nil, err
	}
	for i, id := range ids {
		if l := out[i]; l != 0 && id > x.offset[k] {
			if _, imported := x.toWP[k][l]; imported {
				out[i] = 0
			}
		}
	}
	return out, nil
}

// local is locals for one id.
func (x *wpIDs) local(ctx context.Context, k wpKind, id int64) (int64, error) {
	out, err := x.locals(ctx, k, []int64{id})
	if err != nil || len(out) == 0 {
		return 0, err
	}
	return out[0], nil
}

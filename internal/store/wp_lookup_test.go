package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// An import looks earlier imports up by the ids of a batch; more ids than
// one statement binds are looked up in parts, each id answered once, and
// ids never imported are left out.
func TestWordPressLookupsByID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var atts []store.WPAttachment
		var ids []int64
		for id := int64(1); id <= 1200; id++ {
			atts = append(atts, store.WPAttachment{WPID: id, ParentWP: 5000 + id%3, URL: fmt.Sprintf("https://timesca.example/%d.jpg", id), Checksum: fmt.Sprint("sum-", id)})
			ids = append(ids, 1201-id) // backwards, to show the order does not matter
		}
		must(t, db.SaveWPAttachments(ctx, atts))
		asked := append(slices.Clone(ids), 7, 7, 99999)

		byID, err := db.WPAttachmentsByID(ctx, asked)
		must(t, err)
		if len(byID) != 1200 || byID[1200].URL != "https://timesca.example/1200.jpg" || byID[3].ParentWP != 5000 {
			t.Errorf("%d attachments; 1200: %+v; 3: %+v", len(byID), byID[1200], byID[3])
		}
		m, err := db.WPImportMapOf(ctx, "attachment", asked)
		must(t, err)
		if len(m) != 1200 || m[700].Checksum != "sum-700" || m[700].LocalID != 700 {
			t.Errorf("%d map rows; 700: %+v", len(m), m[700])
		}
		if m, err := db.WPImportMapOf(ctx, "post", asked); err != nil || len(m) != 0 {
			t.Errorf("posts of the attachments' ids: %v, %v", m, err)
		}
		kids, err := db.WPAttachmentChildren(ctx, []int64{5001, 5002, 6000})
		must(t, err)
		if len(kids) != 2 || len(kids[5001]) != 400 || kids[5001][0] != 1 || kids[5001][1] != 4 || !slices.IsSorted(kids[5002]) || kids[5002][0] != 2 {
			t.Errorf("children: %d parents, %d of 5001, of 5002 sorted %v", len(kids), len(kids[5001]), slices.IsSorted(kids[5002]))
		}
		if none, err := db.WPAttachmentsByID(ctx, nil); err != nil || len(none) != 0 {
			t.Errorf("no ids: %v, %v", none, err)
		}
	})
}

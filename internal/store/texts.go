package store

import (
	"context"
	"fmt"
)

// BodyTexts returns the plain text of each article's body, by id, for
// listings that show more of a story than its stored excerpt holds.
// Articles whose excerpt the editor chose (a manual excerpt, or the text
// before <!--more-->) are left out: that excerpt is the one to show.
func (db *DB) BodyTexts(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := db.read(ctx, `SELECT id, body_text FROM articles WHERE id IN (`+placeholders(len(ids))+`)
		AND manual_excerpt = '' AND `+db.dialect.unpacked("body_source")+` NOT LIKE '%<!--more%'`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: body texts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, unpacked{&text}); err != nil {
			return nil, fmt.Errorf("store: body texts: %w", err)
		}
		out[id] = text
	}
	return out, rows.Err()
}

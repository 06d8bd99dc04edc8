package store

import (
	"context"
	"fmt"
	"slices"
)

// An import looks up what earlier imports made of the WordPress objects
// of each batch it reads, by their ids, rather than loading every map row
// and attachment at its start: on an archive of a million posts those are
// a million rows, held in memory for the whole run.

// wpLookupChunk bounds the ids of one lookup statement, well below the
// engines' limits on bound parameters.
const wpLookupChunk = 500

// WPImportMapOf returns what earlier imports made of the WordPress
// objects of kind with the given ids; ids never imported are left out.
func (db *DB) WPImportMapOf(ctx context.Context, kind string, wpIDs []int64) (map[int64]WPMapEntry, error) {
	out := make(map[int64]WPMapEntry, len(wpIDs))
	err := eachChunk(wpIDs, func(ids []int64) error {
		cond, args := in(`wp_id`, ids)
		rows, err := db.read(ctx, `SELECT wp_id, local_id, checksum FROM wp_import_map WHERE kind = ? AND `+cond, append([]any{kind}, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var e WPMapEntry
			if err := rows.Scan(&id, &e.LocalID, &e.Checksum); err != nil {
				return err
			}
			out[id] = e
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: import map: %w", err)
	}
	return out, nil
}

// WPAttachmentsByID returns the imported attachments with the given
// WordPress ids; ids never imported are left out.
func (db *DB) WPAttachmentsByID(ctx context.Context, wpIDs []int64) (map[int64]WPAttachment, error) {
	out := make(map[int64]WPAttachment, len(wpIDs))
	err := eachChunk(wpIDs, func(ids []int64) error {
		cond, args := in(`wp_id`, ids)
		rows, err := db.read(ctx, `SELECT `+wpAttachmentCols+` FROM wp_attachments WHERE `+cond, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanWPAttachment(rows)
			if err != nil {
				return err
			}
			out[m.WPID] = m
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: attachments: %w", err)
	}
	return out, nil
}

// WPAttachmentChildren returns the WordPress ids of the imported
// attachments of each of parents (the posts they were uploaded to), in
// ascending order: what an id-less [gallery] of the post shows.
func (db *DB) WPAttachmentChildren(ctx context.Context, parents []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	err := eachChunk(parents, func(ids []int64) error {
		cond, args := in(`parent_wp`, ids)
		rows, err := db.read(ctx, `SELECT parent_wp, wp_id FROM wp_attachments WHERE `+cond+` ORDER BY parent_wp, wp_id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var parent, id int64
			if err := rows.Scan(&parent, &id); err != nil {
				return err
			}
			out[parent] = append(out[parent], id)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: attachments by post: %w", err)
	}
	return out, nil
}

// eachChunk calls f with the distinct ids of ids, wpLookupChunk at a
// time; none when ids is empty.
func eachChunk(ids []int64, f func([]int64) error) error {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for len(ids) > 0 {
		n := min(len(ids), wpLookupChunk)
		if err := f(ids[:n]); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

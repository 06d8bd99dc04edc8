package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"dastan/internal/news"
)

// ReadsKept is how long hourly read counts are kept: "most read" looks
// back a week at most.
const ReadsKept = 8 * 24 * time.Hour

// AddReads adds counted reads to each article's count for the hour that
// holds at, in one transaction, and drops counts older than ReadsKept.
// Reads of articles deleted since they were counted are let go.
func (db *DB) AddReads(ctx context.Context, counts map[int64]int, at time.Time) error {
	if len(counts) == 0 {
		return nil
	}
	hour := unix(at.Truncate(time.Hour))
	ids := make([]int64, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] }) // one order of row locks for every instance
	err := db.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := db.txExec(ctx, tx, `INSERT INTO article_reads (article_id, hour, reads)
				SELECT id, ?, ? FROM articles WHERE id = ?
				ON CONFLICT (article_id, hour) DO UPDATE SET reads = article_reads.reads + excluded.reads`, hour, counts[id], id); err != nil {
				return err
			}
		}
		_, err := db.txExec(ctx, tx, `DELETE FROM article_reads WHERE hour < ?`, hour-int64(ReadsKept/time.Second))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: add reads: %w", err)
	}
	return nil
}

// ReadCount is an article and how often it was read.
type ReadCount struct {
	Article news.Article
	Reads   int
}

// MostRead returns up to n articles readers may see at now, most read
// since since first, with their counts.
func (db *DB) MostRead(ctx context.Context, since, now time.Time, n int) ([]ReadCount, error) {
	// The reads of the span are summed first, then their articles looked
	// up: joined the other way, the engine walks every visible article
	// of the archive (all of them, 100,000 and more) to find the few read.
	rows, err := db.read(ctx, `SELECT t.article_id, t.total FROM
		(SELECT article_id, SUM(reads) AS total FROM article_reads WHERE hour >= ? GROUP BY article_id) t
		JOIN articles a ON a.id = t.article_id
		WHERE `+visible+` ORDER BY t.total DESC, t.article_id DESC LIMIT ?`,
		unix(since.Truncate(time.Hour)), unix(now), n)
	if err != nil {
		return nil, fmt.Errorf("store: most read: %w", err)
	}
	var ids []int64
	totals := map[int64]int{}
	for rows.Next() {
		var id int64
		var total int
		if err := rows.Scan(&id, &total); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: most read: %w", err)
		}
		ids = append(ids, id)
		totals[id] = total
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: most read: %w", err)
	}
	list, err := db.articlesByID(ctx, ids, summaryCols, scanSummaryRow)
	if err != nil {
		return nil, fmt.Errorf("store: most read: %w", err)
	}
	out := make([]ReadCount, len(list))
	for i, a := range list {
		out[i] = ReadCount{Article: a, Reads: totals[a.ID]}
	}
	return out, nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// EditLock says who is editing an article: held since Since, kept alive
// by the holder's editor page, last at Heartbeat.
type EditLock struct {
	ArticleID int64
	UserID    int64
	UserName  string
	UserEmail string
	Since     time.Time
	Heartbeat time.Time
}

// ErrLocked is returned when someone else holds a live edit lock.
var ErrLocked = errors.New("locked by someone else")

// TakeEditLock gives userID the lock on an article, or keeps it theirs
// (moving its heartbeat to now), when it is free, theirs, or its holder's
// heartbeat is older than staleBefore; force takes it from a live holder.
// It returns the lock as it then stands: held by someone else, with
// ErrLocked, when it was not given.
func (db *DB) TakeEditLock(ctx context.Context, articleID, userID int64, now, staleBefore time.Time, force bool) (EditLock, error) {
	var l EditLock
	err := db.tx(ctx, func(tx *sql.Tx) error {
		// One statement decides, so two editors opening the article at
		// once cannot both get it.
		res, err := db.txExec(ctx, tx, `INSERT INTO edit_locks (article_id, user_id, since, heartbeat_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (article_id) DO UPDATE SET
				since = CASE WHEN edit_locks.user_id = excluded.user_id THEN edit_locks.since ELSE excluded.since END,
				user_id = excluded.user_id, heartbeat_at = excluded.heartbeat_at
			WHERE edit_locks.user_id = excluded.user_id OR edit_locks.heartbeat_at < ? OR ? = 1`,
			articleID, userID, unix(now), unix(now), unix(staleBefore), boolInt(force))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		l, err = scanEditLock(db.txRow(ctx, tx, `SELECT l.article_id, l.user_id, u.name, u.email, l.since, l.heartbeat_at
			FROM edit_locks l JOIN users u ON u.id = l.user_id WHERE l.article_id = ?`, articleID))
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrLocked
		}
		return nil
	})
	if err != nil && !errors.Is(err, ErrLocked) {
		return l, fmt.Errorf("store: edit lock on article %d: %w", articleID, notFound(err))
	}
	return l, err
}

// ReleaseEditLock frees the lock on an article if userID holds it.
func (db *DB) ReleaseEditLock(ctx context.Context, articleID, userID int64) error {
	if _, err := db.write(ctx, `DELETE FROM edit_locks WHERE article_id = ? AND user_id = ?`, articleID, userID); err != nil {
		return fmt.Errorf("store: release edit lock on article %d: %w", articleID, err)
	}
	return nil
}

// EditLocks returns the locks on the given articles whose heartbeat is
// not older than staleBefore, by article id.
func (db *DB) EditLocks(ctx context.Context, articleIDs []int64, staleBefore time.Time) (map[int64]EditLock, error) {
	out := map[int64]EditLock{}
	if len(articleIDs) == 0 {
		return out, nil
	}
	args := []any{unix(staleBefore)}
	for _, id := range articleIDs {
		args = append(args, id)
	}
	rows, err := db.read(ctx, `SELECT l.article_id, l.user_id, u.name, u.email, l.since, l.heartbeat_at
		FROM edit_locks l JOIN users u ON u.id = l.user_id
		WHERE l.heartbeat_at >= ? AND l.article_id IN (`+placeholders(len(articleIDs))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: edit locks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		l, err := scanEditLock(rows)
		if err != nil {
			return nil, fmt.Errorf("store: edit locks: %w", err)
		}
		out[l.ArticleID] = l
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: edit locks: %w", err)
	}
	return out, nil
}

func scanEditLock(s scanner) (EditLock, error) {
	var l EditLock
	var since, beat int64
	err := s.Scan(&l.ArticleID, &l.UserID, &l.UserName, &l.UserEmail, &since, &beat)
	l.Since, l.Heartbeat = fromUnix(since), fromUnix(beat)
	return l, err
}

package store_test

import (
	"context"
	"testing"
	"time"

	"dastan/internal/store"
	"dastan/internal/store/storetest"
)

// A store opened with a clock stamps what it writes by that clock, not
// by the machine's: articles, users, tokens and the audit log.
func TestStoreTellsTimeByItsClock(t *testing.T) {
	at := time.Date(2031, 5, 4, 10, 30, 0, 0, time.UTC)
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			db := storetest.Open(t, engine, store.WithClock(func() time.Time { return at }))
			ctx := context.Background()
			sec := newsSection("News", 0)
			must(t, db.SaveSection(ctx, &sec))
			a := article("Clocked", sec.ID, at.Add(-time.Hour), nil)
			must(t, db.SaveArticle(ctx, a, 0, ""))
			got, err := db.ArticleByID(ctx, a.ID)
			must(t, err)
			if !got.CreatedAt.Equal(at) || !got.UpdatedAt.Equal(at) {
				t.Errorf("article created %v, updated %v; want %v", got.CreatedAt, got.UpdatedAt, at)
			}
			u := store.User{Email: "clock@example.com", Name: "Clock", Role: "editor", PasswordHash: "x"}
			must(t, db.CreateUser(ctx, &u, nil))
			if u, err := db.UserByEmail(ctx, u.Email); err != nil || !u.CreatedAt.Equal(at) {
				t.Errorf("user created %v (%v); want %v", u.CreatedAt, err, at)
			}
			tok := store.APIToken{UserID: u.ID, Name: "app", Role: "editor", Hash: "h"}
			must(t, db.CreateAPIToken(ctx, &tok))
			if toks, err := db.APITokens(ctx, u.ID); err != nil || len(toks) != 1 || !toks[0].CreatedAt.Equal(at) {
				t.Errorf("tokens %+v (%v); want one made %v", toks, err, at)
			}
			must(t, db.AddAudit(ctx, store.AuditEntry{UserID: u.ID, Action: "test", Subject: "clock"}))
			if log, err := db.AuditLog(ctx, 10, 0); err != nil || len(log) != 1 || !log[0].CreatedAt.Equal(at) {
				t.Errorf("audit log %+v (%v); want one entry at %v", log, err, at)
			}
		})
	}
}

// Package previews is links that show an article, draft or not, exactly
// as readers will see it, to someone outside the newsroom: a
// correspondent, a source, a lawyer. A link names its row and carries an
// HMAC of it under a secret kept in the store, so it cannot be guessed
// or altered; the row holds its end and lets the newsroom revoke it.
package previews

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"dastan/internal/auth"
	"dastan/internal/news"
	"dastan/internal/store"
)

// Lifetimes a link may be given, shortest first; the newsroom offers
// these.
var Lifetimes = []time.Duration{24 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour}

// ErrInvalid is the answer for a link that is malformed, not signed by
// this site, expired or revoked, or whose article is in the trash: the
// reader is told only that it does not work.
var ErrInvalid = errors.New("previews: the link does not work")

// ErrForbidden is returned when the user may not share or revoke links
// to the article: they must be able to edit it.
var ErrForbidden = auth.ErrForbidden

// Link is a stored link with the token its address carries.
type Link struct {
	store.PreviewLink
	Token string
}

// Live reports whether the link still opens at now.
func (l Link) Live(now time.Time) bool { return l.RevokedAt.IsZero() && now.Before(l.ExpiresAt) }

// Options are what a Service is built from.
type Options struct {
	Store *store.DB
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Service makes, lists, revokes and opens preview links.
type Service struct {
	db  *store.DB
	now func() time.Time

	mu  sync.Mutex
	key []byte // the signing secret, read once
}

// New makes the Service.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{db: o.Store, now: o.Now}
}

// secretName names the signing secret in the store.
const secretName = "preview-links"

// signingKey returns the store's secret, making it on first use.
func (s *Service) signingKey(ctx context.Context) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.key != nil {
		return s.key, nil
	}
	candidate := make([]byte, 32)
	rand.Read(candidate)
	v, err := s.db.Secret(ctx, secretName, base64.RawURLEncoding.EncodeToString(candidate), s.now().UTC())
	if err != nil {
		return nil, err
	}
	key, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || len(key) < 32 {
		return nil, fmt.Errorf("previews: the stored secret is not usable")
	}
	s.key = key
	return key, nil
}

// sign is the token of p: its id and the HMAC of what it grants.
func (s *Service) sign(key []byte, p store.PreviewLink) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "preview\x00%d\x00%d\x00%d", p.ID, p.ArticleID, p.ExpiresAt.Unix())
	return strconv.FormatInt(p.ID, 36) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Create makes a link to article id lasting ttl (one of Lifetimes), when u
// may edit the article.
func (s *Service) Create(ctx context.Context, u auth.User, id int64, ref auth.ArticleRef, ttl time.Duration) (Link, error) {
	if !auth.Can(u, auth.Edit, &ref) || ref.Status == news.StatusTrash {
		return Link{}, ErrForbidden
	}
	allowed := false
	for _, l := range Lifetimes {
		allowed = allowed || l == ttl
	}
	if !allowed {
		return Link{}, news.Refuse("lifetime", "invalid.preview_lifetime")
	}
	key, err := s.signingKey(ctx)
	if err != nil {
		return Link{}, err
	}
	now := s.now().UTC().Truncate(time.Second)
	p := store.PreviewLink{ArticleID: id, CreatedBy: u.ID, CreatorEmail: u.Email, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	err = s.db.CreatePreviewLink(ctx, &p, store.AuditEntry{UserID: u.ID, Action: "preview-link.create", Subject: "article " + strconv.FormatInt(id, 10),
		Detail: "until " + p.ExpiresAt.Format(time.RFC3339), CreatedAt: now})
	if err != nil {
		return Link{}, err
	}
	return Link{PreviewLink: p, Token: s.sign(key, p)}, nil
}

// List returns the links to article id, newest first, when u may view it.
func (s *Service) List(ctx context.Context, u auth.User, id int64, ref auth.ArticleRef) ([]Link, error) {
	if !auth.Can(u, auth.View, &ref) {
		return nil, ErrForbidden
	}
	key, err := s.signingKey(ctx)
	if err != nil {
		return nil, err
	}
	ps, err := s.db.PreviewLinks(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]Link, len(ps))
	for i, p := range ps {
		out[i] = Link{PreviewLink: p, Token: s.sign(key, p)}
	}
	return out, nil
}

// Revoke stops link linkID of article id working, when u may edit it.
func (s *Service) Revoke(ctx context.Context, u auth.User, id int64, ref auth.ArticleRef, linkID int64) error {
	if !auth.Can(u, auth.Edit, &ref) {
		return ErrForbidden
	}
	now := s.now().UTC()
	return s.db.RevokePreviewLink(ctx, id, linkID, now, store.AuditEntry{UserID: u.ID, Action: "preview-link.revoke",
		Subject: "article " + strconv.FormatInt(id, 10), Detail: "link " + strconv.FormatInt(linkID, 10), CreatedAt: now})
}

// Open returns the article a token shows, or ErrInvalid.
func (s *Service) Open(ctx context.Context, token string) (news.Article, error) {
	idPart, _, ok := strings.Cut(token, ".")
	id, err := strconv.ParseInt(idPart, 36, 64)
	if !ok || err != nil || id <= 0 || len(token) > 100 {
		return news.Article{}, ErrInvalid
	}
	key, err := s.signingKey(ctx)
	if err != nil {
		return news.Article{}, err
	}
	p, err := s.db.PreviewLinkByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return news.Article{}, ErrInvalid
	} else if err != nil {
		return news.Article{}, err
	}
	if !hmac.Equal([]byte(s.sign(key, p)), []byte(token)) || !(Link{PreviewLink: p}).Live(s.now()) {
		return news.Article{}, ErrInvalid
	}
	a, err := s.db.ArticleByID(ctx, p.ArticleID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && a.Status == news.StatusTrash) {
		return news.Article{}, ErrInvalid
	}
	return a, err
}

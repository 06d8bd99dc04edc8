package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"dastan/internal/store"
)

// Application Passwords, as WordPress 5.6 and later have them: 24 random
// letters and digits that a user makes for one app, shown once (in
// groups of four) and kept as a hash, sent by the app with the user's
// email over HTTP Basic, revocable one by one.

// appPasswordLen is WordPress's length.
const appPasswordLen = 24

const appPasswordChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// NewAppPassword makes a password to show its maker once, the hash the
// store keeps instead of it, and the uuid WordPress gives each one.
func NewAppPassword() (password, hash, uuid string) {
	b := make([]byte, appPasswordLen)
	rand.Read(b)
	for i := range b {
		b[i] = appPasswordChars[int(b[i])%len(appPasswordChars)] // 256 = 4×62+8: a negligible lean, 140 bits either way
	}
	password = string(b)
	u := make([]byte, 16)
	rand.Read(u)
	u[6], u[8] = u[6]&0x0f|0x40, u[8]&0x3f|0x80
	uuid = fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
	hash, _ = HashAppPassword(password)
	return password, hash, uuid
}

// ShowAppPassword groups a password in fours, as WordPress shows it
// ("abcd efgh …"); apps may send it with or without the spaces.
func ShowAppPassword(p string) string {
	var parts []string
	for len(p) > 4 {
		parts, p = append(parts, p[:4]), p[4:]
	}
	return strings.Join(append(parts, p), " ")
}

// HashAppPassword is the hash a presented password is looked up by, its
// spaces dropped as WordPress does; ok is false when it cannot be one.
func HashAppPassword(p string) (hash string, ok bool) {
	p = strings.ReplaceAll(p, " ", "")
	if len(p) != appPasswordLen {
		return "", false
	}
	sum := sha256.Sum256([]byte("app-password:" + p))
	return hex.EncodeToString(sum[:]), true
}

// VerifyAppPassword checks an email and application password from the
// client address ip, under sign-in's limits: the address's budget first,
// then the count kept in the store for this email and address (five
// tries, then a doubling wait). Refusals are RefusedErrors; a wrong pair
// is ErrBadCredentials. Use is recorded, with the address, at most once
// a minute.
func (s *Service) VerifyAppPassword(ctx context.Context, email, password, ip string) (store.AppPassword, store.User, error) {
	addr := AddressKey(ip)
	if ok, retry := s.addresses.Allow(addr, s.budget); !ok {
		s.stats.throttled.Add(1)
		return store.AppPassword{}, store.User{}, refused(ErrThrottled, retry)
	}
	key, now := throttleKey(email, addr), s.now()
	ok, until, err := s.db.SigninAttempt(ctx, key, now, backoff)
	if err != nil {
		return store.AppPassword{}, store.User{}, err
	}
	if !ok {
		s.stats.throttled.Add(1)
		return store.AppPassword{}, store.User{}, refused(ErrThrottled, until.Sub(now))
	}
	hash, valid := HashAppPassword(password)
	if !valid {
		return store.AppPassword{}, store.User{}, ErrBadCredentials
	}
	p, u, err := s.db.AppPasswordUser(ctx, email, hash)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = ErrBadCredentials
		}
		return p, u, err
	}
	if err := s.db.ClearSigninFailures(ctx, key); err != nil {
		return p, u, err
	}
	s.addresses.Refund(addr)
	if now.Sub(p.LastUsedAt) > time.Minute || p.LastIP != ip {
		if err := s.db.TouchAppPassword(ctx, p.ID, now.UTC(), ip); err != nil {
			return p, u, err
		}
		p.LastUsedAt, p.LastIP = now.UTC(), ip
	}
	return p, u, nil
}

package auth

import "strings"

// APITokenPrefix starts every API token, so a leaked one is easy to
// recognise in logs and by secret scanners.
const APITokenPrefix = "dst_"

// NewAPIToken makes a token to show its maker once, and the hash the
// store keeps instead of it.
func NewAPIToken() (token, hash string) {
	token = APITokenPrefix + newToken()
	return token, hashToken(token)
}

// HashAPIToken is the hash a presented token is looked up by; ok is false
// when it cannot be a token at all.
func HashAPIToken(token string) (hash string, ok bool) {
	if !strings.HasPrefix(token, APITokenPrefix) || len(token) > 100 {
		return "", false
	}
	return hashToken(token), true
}

// Rank orders roles, least powerful first; unknown roles rank below all.
func Rank(r Role) int {
	for i, x := range Roles {
		if x == r {
			return i
		}
	}
	return -1
}

// Lesser is the less powerful of two roles: a token acts with its own
// role, or its maker's if that has since been lowered.
func Lesser(a, b Role) Role {
	if Rank(a) <= Rank(b) {
		return a
	}
	return b
}

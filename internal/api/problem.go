package api

import (
	"encoding/json"
	"net/http"
)

// problemWith writes an RFC 9457 problem document with extension members,
// such as the current version of an article on a conflict.
func problemWith(w http.ResponseWriter, status int, title, detail string, ext map[string]any) {
	doc := map[string]any{"type": "about:blank", "title": title, "status": status, "detail": detail}
	for k, v := range ext {
		doc[k] = v
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(doc)
}

// badParam is a 400 naming the query parameter at fault.
func badParam(w http.ResponseWriter, name, detail string) {
	problemWith(w, http.StatusBadRequest, "Bad parameter", name+": "+detail, map[string]any{"param": name})
}

// wpError writes an error the way WordPress's REST API does:
// {"code", "message", "data": {"status", …}}.
func wpError(w http.ResponseWriter, status int, code, message string, data map[string]any) {
	d := map[string]any{"status": status}
	for k, v := range data {
		d[k] = v
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"code": code, "message": message, "data": d})
}

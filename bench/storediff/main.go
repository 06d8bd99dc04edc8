// Command storediff compares two SQLite stores by content: every table,
// row by row in key order, and every term instance of the full-text
// index (FTS5's own view of it, fts5vocab), each digested. Times the
// import stamps from its clock (revisions', redirects' and the audit
// log's) are masked, so two imports of one export by two builds compare
// equal when they wrote the same. The index's segments themselves are not
// compared: how FTS5 lays them out is not content. Long texts compare by
// their text, whether a build stored them packed or not (unpacked(), the
// store's SQL function).
//
//	go run ./bench/storediff base/dastan.db new/dastan.db
package main

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash"
	"log"
	"os"
	"strings"

	_ "dastan/internal/store" // registers unpacked(), and the driver
)

// clock lists, by table, the columns an import fills from its clock.
var clock = map[string][]string{
	"revisions": {"created_at"},
	"redirects": {"created_at"},
	"audit_log": {"at", "created_at"},
}

// packed lists, by table, the columns a build may store packed.
var packed = map[string][]string{
	"articles":  {"body_source", "body_html", "body_text"},
	"revisions": {"body_source"},
}

func main() {
	if len(os.Args) != 3 {
		log.Fatal("usage: storediff A.db B.db")
	}
	a, b := digests(os.Args[1]), digests(os.Args[2])
	same := true
	for name, d := range a {
		if b[name] != d {
			same = false
			fmt.Printf("differs: %s\n", name)
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			same = false
			fmt.Printf("only in %s: %s\n", os.Args[2], name)
		}
	}
	if !same {
		os.Exit(1)
	}
	fmt.Printf("identical: %d tables and the full-text index's term instances\n", len(a)-1)
}

func digests(path string) map[string]string {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	tables := column(db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		AND name NOT LIKE 'article_search%' ORDER BY name`)
	out := map[string]string{}
	for _, t := range tables {
		cols := column(db, `SELECT name FROM pragma_table_info(?) ORDER BY cid`, t)
		sel := make([]string, len(cols))
		for i, c := range cols {
			sel[i] = `quote("` + c + `")`
			for _, p := range packed[t] {
				if c == p {
					sel[i] = `quote(unpacked("` + c + `"))`
				}
			}
			for _, m := range clock[t] {
				if c == m {
					sel[i] = `'clock'`
				}
			}
		}
		out[t] = digest(db, `SELECT `+strings.Join(sel, ` || '|' || `)+` FROM "`+t+`" ORDER BY 1`)
	}
	if _, err := db.Exec(`CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, article_search, instance)`); err != nil {
		log.Fatal(err)
	}
	out["fts5 instances"] = digest(db, `SELECT term || '|' || doc || '|' || col || '|' || offset FROM temp.terms`)
	return out
}

func column(db *sql.DB, q string, args ...any) []string {
	rows, err := db.Query(q, args...)
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			log.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func digest(db *sql.DB, q string) string {
	rows, err := db.Query(q)
	if err != nil {
		log.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var h hash.Hash = sha256.New()
	n := 0
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			log.Fatal(err)
		}
		h.Write([]byte(s.String))
		h.Write([]byte{'\n'})
		n++
	}
	if err := rows.Err(); err != nil {
		log.Fatal(err)
	}
	return fmt.Sprintf("%d rows %s", n, hex.EncodeToString(h.Sum(nil))[:16])
}

package main

import (
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/kljensen/snowball"
	_ "github.com/microcosm-cc/bluemonday"
	_ "github.com/yuin/goldmark"
	_ "golang.org/x/crypto/argon2"
	_ "golang.org/x/text/encoding/charmap"
	_ "modernc.org/sqlite"
)

func main() {}

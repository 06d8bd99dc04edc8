package store

// dialect holds what differs between SQLite and PostgreSQL. Everything else
// is written once, in SQL both accept.
type dialect interface {
	name() string
	// migrationsDir is the folder under migrations/ with this engine's files.
	migrationsDir() string
	// optimize is the statement that refreshes the planner's statistics.
	optimize() string
}

type sqliteDialect struct{}

func (sqliteDialect) name() string          { return "sqlite" }
func (sqliteDialect) migrationsDir() string { return "migrations/sqlite" }

// 0x10002 analyzes every table that needs it, however large, as SQLite
// advises after a bulk load (plain optimize limits its work per table).
func (sqliteDialect) optimize() string { return "PRAGMA optimize=0x10002" }

type postgresDialect struct{}

func (postgresDialect) name() string          { return "postgres" }
func (postgresDialect) migrationsDir() string { return "migrations/postgres" }
func (postgresDialect) optimize() string      { return "ANALYZE" }

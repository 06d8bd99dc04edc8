package store

// dialect holds what differs between SQLite and PostgreSQL. Everything else
// is written once, in SQL both accept.
type dialect interface {
	name() string
	// migrationsDir is the folder under migrations/ with this engine's files.
	migrationsDir() string
}

type sqliteDialect struct{}

func (sqliteDialect) name() string          { return "sqlite" }
func (sqliteDialect) migrationsDir() string { return "migrations/sqlite" }

type postgresDialect struct{}

func (postgresDialect) name() string          { return "postgres" }
func (postgresDialect) migrationsDir() string { return "migrations/postgres" }

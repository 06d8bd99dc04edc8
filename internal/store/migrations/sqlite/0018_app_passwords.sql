-- Application Passwords (WordPress 5.6's HTTP Basic sign-in for apps):
-- each user makes their own, named, shown once; only the SHA-256 of the
-- password is kept (it is 24 random letters and digits, so a slow hash
-- would add nothing). last_ip is where it was last used from.
CREATE TABLE app_passwords (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    uuid          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER NOT NULL DEFAULT 0,
    last_ip       TEXT NOT NULL DEFAULT '',
    revoked_at    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX app_passwords_user ON app_passwords (user_id);

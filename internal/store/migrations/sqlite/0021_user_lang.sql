-- The language each user reads the newsroom in (a catalogue of
-- internal/i18n); empty is the default, English.
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT '';

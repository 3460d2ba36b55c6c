-- What each user chose for the web pages: their language and how their customer cards
-- are laid out. Keep in step with ../sqlite/0004_user_preferences.sql.
CREATE TABLE user_preferences (
    user_id UUID PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    language TEXT,
    -- JSON: for each card ("company", "person"), its panels in order; "-" before a
    -- panel's key hides it.
    card_panels TEXT,
    updated_at TIMESTAMPTZ NOT NULL
);

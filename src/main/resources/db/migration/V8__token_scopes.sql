-- Scoped, revocable tokens: each minted token gets an id (listed and revoked by it), its scopes
-- (a JSON array; NULL: minted without scopes, every route but the master-only ones) and its
-- resource bindings (a JSON object {"containers":[...],"volumes":[...]}; NULL: none). A single-use
-- token is marked used (used_at) instead of deleted, so it stays listed and revocable, and the
-- WebSockets it opened can be closed, until it expires. Tokens stay stored as SHA-256 only.
CREATE TABLE tokens_v8 (
    id            TEXT PRIMARY KEY,
    hash          TEXT NOT NULL UNIQUE,
    expires_at    INTEGER NOT NULL,
    remove_on_use INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    scopes        TEXT,
    bindings      TEXT,
    used_at       INTEGER
);

INSERT INTO tokens_v8 (id, hash, expires_at, remove_on_use, created_at)
    SELECT lower(hex(randomblob(16))), hash, expires_at, remove_on_use, created_at FROM tokens;

DROP TABLE tokens;

ALTER TABLE tokens_v8 RENAME TO tokens;

CREATE TABLE volumes (
    id         TEXT PRIMARY KEY,
    path       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- A port is known by address and number (the routes name it /network/ports/:ip/:port).
CREATE TABLE ports (
    ip       TEXT NOT NULL,
    port     INTEGER NOT NULL,
    protocol TEXT NOT NULL,
    in_use   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (ip, port)
);

-- Minted tokens, kept only as SHA-256 of the token.
CREATE TABLE tokens (
    hash          TEXT PRIMARY KEY,
    expires_at    INTEGER NOT NULL,
    remove_on_use INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);

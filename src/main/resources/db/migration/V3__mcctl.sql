-- Minecraft servers of the mcctl face: container mc-<name>.
CREATE TABLE mc_servers (
    name          TEXT PRIMARY KEY,
    container_id  TEXT,
    type          TEXT NOT NULL,
    version       TEXT NOT NULL,
    memory        TEXT NOT NULL,
    seed          TEXT,
    world         TEXT,
    rcon_port     INTEGER NOT NULL,
    rcon_password TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

-- World folders under <data>/worlds and the lock a server holds on one.
CREATE TABLE worlds (
    name       TEXT PRIMARY KEY,
    seed       TEXT,
    locked_by  TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    hash       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE users (
    username      TEXT PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

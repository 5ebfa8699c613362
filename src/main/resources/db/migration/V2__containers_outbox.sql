-- A managed container: what the panel asked for, written before it is acted on.
CREATE TABLE containers (
    internal_id      TEXT PRIMARY KEY,
    container_id     TEXT,
    volume_id        TEXT NOT NULL REFERENCES volumes(id),
    image            TEXT NOT NULL,
    startup_command  TEXT NOT NULL,
    start_pattern    TEXT,
    install_script   TEXT NOT NULL DEFAULT '',
    install_state    TEXT NOT NULL,
    desired_power    TEXT NOT NULL DEFAULT 'offline',
    ports            TEXT NOT NULL,
    memory           INTEGER NOT NULL,
    cpu              REAL NOT NULL,
    stop_command     TEXT,
    restart_on_crash INTEGER NOT NULL DEFAULT 0,
    daemon_message   TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

-- State changes waiting to be delivered to the panel, in order.
CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    payload    TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0
);

-- The audit log of both faces: who did what to which target, and whether it worked. The id is an
-- AUTOINCREMENT rowid, so an id is never reused after a purge (a console de-duplicating a live
-- stream by id stays right), and pruning deletes by timestamp in bounded batches of rowids.
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    ts            INTEGER NOT NULL,           -- epoch milliseconds
    action        TEXT NOT NULL,              -- server.create, container.power.start, ...
    actor         TEXT NOT NULL,              -- X-User, key:<name>, master, token:<id>, cli:local
    target_type   TEXT NOT NULL,
    target_name   TEXT NOT NULL,
    details       TEXT,                       -- a small JSON object, never secrets or file contents
    status        TEXT NOT NULL CHECK (status IN ('success', 'failure')),
    error_message TEXT
);

CREATE INDEX audit_log_ts ON audit_log (ts);
CREATE INDEX audit_log_target ON audit_log (target_type, target_name, ts);
CREATE INDEX audit_log_actor ON audit_log (actor, ts);
CREATE INDEX audit_log_action ON audit_log (action, ts);

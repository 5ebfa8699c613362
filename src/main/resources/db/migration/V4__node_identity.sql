-- Who this daemon is on a shared engine: its containers carry the id as label lightd.node, and it
-- never removes a container that carries another.
CREATE TABLE node (
    id TEXT NOT NULL
);
INSERT INTO node (id) VALUES (lower(hex(randomblob(16))));

package dev.lightd.store;

/** This daemon's identity, made once by the migration that created the table. */
public final class NodeStore {

    private final Database db;

    public NodeStore(Database db) {
        this.db = db;
    }

    public String id() {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("SELECT id FROM node LIMIT 1"); var rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("the node table is empty");
                }
                return rs.getString(1);
            }
        });
    }
}

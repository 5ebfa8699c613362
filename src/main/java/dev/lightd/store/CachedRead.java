package dev.lightd.store;

/**
 * The answer of a read kept until the next transaction that may write: list routes asked many
 * times a second answer from memory, and any write anywhere in the store (cheap to track, rare
 * next to reads) makes the next read go to SQLite again. The value must be immutable.
 */
final class CachedRead<T> {

    private record Snapshot<T>(long generation, T value) {}

    private final Database db;
    private final Database.Work<T> query;
    private volatile Snapshot<T> last;

    CachedRead(Database db, Database.Work<T> query) {
        this.db = db;
        this.query = query;
    }

    T get() {
        // read before the query: a write committed meanwhile leaves this snapshot outdated, never wrong
        long generation = db.generation();
        Snapshot<T> s = last;
        if (s != null && s.generation() == generation) {
            return s.value();
        }
        T value = db.read(query);
        last = new Snapshot<>(generation, value);
        return value;
    }
}

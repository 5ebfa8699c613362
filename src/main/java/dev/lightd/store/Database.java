package dev.lightd.store;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The SQLite file {@code <data>/lightd.db} in WAL mode with synchronous=FULL, so a write that was
 * committed before we answered survives a kill -9 or a power cut. SQLite has one writer at a time;
 * one connection behind a lock keeps that explicit and costs microseconds per statement.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    /**
     * Bumped after each transaction that may have written, before the lock is released, and when
     * {@link #currentGeneration()} finds that another process committed: see {@link CachedRead}.
     */
    private volatile long generation;
    /** Made once: {@link #currentGeneration()} runs on every mcctl request. Used under the lock only. */
    private PreparedStatement dataVersion;
    /** SQLite's data_version when {@link #currentGeneration()} last asked; guarded by the lock. */
    private long lastDataVersion = Long.MIN_VALUE;

    private Database(Connection connection) {
        this.connection = connection;
    }

    public static Database open(Path file) {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        cfg.enforceForeignKeys(true);
        cfg.setBusyTimeout(5000);
        SQLiteDataSource ds = new SQLiteDataSource(cfg);
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        try {
            Connection connection = ds.getConnection();
            if (!MigrationIndex.upToDate(connection)) {
                connection.close(); // Flyway works on its own connection; ours comes after it
                migrate(ds, file);
                connection = ds.getConnection();
            }
            return new Database(connection);
        } catch (SQLException | RuntimeException e) {
            throw new StoreException("cannot open database " + file + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(SQLiteDataSource ds, Path file) {
        var result = Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        if (result.migrationsExecuted > 0) {
            log.info("event=store_migrated file={} applied={} version={}", file, result.migrationsExecuted,
                    result.targetSchemaVersion);
        }
    }

    /** Runs work in one transaction: all of it is committed, or none. */
    public <T> T transaction(Work<T> work) {
        return run(work, true);
    }

    /** As {@link #transaction}, for work that only reads: it leaves {@link #generation()} as it is. */
    <T> T read(Work<T> work) {
        return run(work, false);
    }

    /** Changes whenever a transaction of this process that may have written has ended. */
    long generation() {
        return generation;
    }

    /**
     * As {@link #generation()}, and also changed by a commit of another process on the same file
     * (the CLI revoking a key, adding a user): SQLite's {@code PRAGMA data_version} changes on
     * this connection whenever another connection has committed. One prepared statement under the
     * lock: microseconds, where a lookup is a whole transaction.
     */
    long currentGeneration() {
        lock.lock();
        try {
            if (dataVersion == null) {
                dataVersion = connection.prepareStatement("PRAGMA data_version");
            }
            long version;
            try (ResultSet rs = dataVersion.executeQuery()) {
                version = rs.next() ? rs.getLong(1) : 0;
            }
            if (version != lastDataVersion) {
                lastDataVersion = version;
                generation++;
            }
            return generation;
        } catch (SQLException e) {
            throw new StoreException("database operation failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private <T> T run(Work<T> work, boolean mayWrite) {
        lock.lock();
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                if (mayWrite) {
                    generation++; // under the lock: no reader queries between this commit and the bump
                }
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("database operation failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (dataVersion != null) {
                dataVersion.close();
            }
            connection.close();
        } catch (SQLException e) {
            log.warn("event=store_close_failed error={}", e.getMessage());
        } finally {
            lock.unlock();
        }
    }
}

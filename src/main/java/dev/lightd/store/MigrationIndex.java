package dev.lightd.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells whether a store already has every migration the jar carries, so that a restart can skip
 * Flyway: loading and running it costs about a sixth of the daemon's start-up (docs/performance.md).
 * When anything is missing, or the history cannot be read, Flyway runs as before and does its own
 * checks; the one check a skipped run gives up is Flyway's checksum comparison of already applied
 * files, which guards against editing a released migration (never done: a change is a new file).
 */
final class MigrationIndex {

    static final String INDEX = "db/migration-index.txt";
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__[^/]+\\.sql");

    private MigrationIndex() {}

    /** True when every versioned migration on the class path was applied successfully. */
    static boolean upToDate(Connection connection) {
        Set<Integer> available = available();
        if (available.isEmpty()) {
            return false;
        }
        Set<Integer> applied = new TreeSet<>();
        try (var st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT version FROM flyway_schema_history WHERE success = 1"
                     + " AND version IS NOT NULL")) {
            while (rs.next()) {
                applied.add(Integer.parseInt(rs.getString(1)));
            }
        } catch (SQLException | NumberFormatException e) {
            return false; // a fresh file has no history table: Flyway makes it
        }
        return applied.equals(available);
    }

    /**
     * The versions named in db/migration-index.txt, one V<n>__<what>.sql file name per line. A list
     * and not a look at the jar: listing the jar's 17,000 entries took about 0.1 s of every start.
     * MigrationIndexTest keeps the list equal to the folder.
     */
    static Set<Integer> available() {
        Set<Integer> versions = new TreeSet<>();
        try (InputStream in = MigrationIndex.class.getClassLoader().getResourceAsStream(INDEX)) {
            if (in != null) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .forEach(line -> add(versions, line.strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return versions;
    }

    private static void add(Set<Integer> versions, String fileName) {
        Matcher m = VERSIONED.matcher(fileName);
        if (m.matches()) {
            versions.add(Integer.parseInt(m.group(1)));
        }
    }
}

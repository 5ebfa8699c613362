package dev.lightd.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Tells whether a store already has every migration the jar carries, so that a restart can skip
 * Flyway: loading and running it costs about a sixth of the daemon's start-up (docs/performance.md).
 * When anything is missing, or the history cannot be read, Flyway runs as before and does its own
 * checks; the one check a skipped run gives up is Flyway's checksum comparison of already applied
 * files, which guards against editing a released migration (never done: a change is a new file).
 */
final class MigrationIndex {

    private static final String LOCATION = "db/migration";
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

    /** The versions of the V<n>__<what>.sql files under db/migration, in the jar or a classes folder. */
    static Set<Integer> available() {
        URL url = MigrationIndex.class.getClassLoader().getResource(LOCATION);
        Set<Integer> versions = new TreeSet<>();
        if (url == null) {
            return versions;
        }
        try {
            if (url.openConnection() instanceof JarURLConnection jar) {
                jar.setUseCaches(false);
                try (var file = jar.getJarFile()) {
                    file.stream().map(e -> e.getName())
                            .filter(n -> n.startsWith(LOCATION + "/"))
                            .forEach(n -> add(versions, n.substring(LOCATION.length() + 1)));
                }
            } else {
                try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                    files.forEach(f -> add(versions, f.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
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

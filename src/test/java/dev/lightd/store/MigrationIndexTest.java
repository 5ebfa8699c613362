package dev.lightd.store;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A restart skips Flyway only when every migration file is in the store's history. */
class MigrationIndexTest {

    @TempDir
    Path dir;

    @Test
    void findsEveryVersionedMigrationFromOneOn() {
        var versions = MigrationIndex.available();
        assertThat(versions).isNotEmpty();
        int last = versions.stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat(versions).isEqualTo(IntStream.rangeClosed(1, last).boxed().collect(Collectors.toSet()));
    }

    @Test
    void theIndexNamesEveryFileOfTheMigrationFolder() throws Exception {
        Path folder = Path.of(MigrationIndexTest.class.getClassLoader().getResource("db/migration").toURI());
        List<String> files;
        try (var listing = Files.list(folder)) {
            files = listing.map(f -> f.getFileName().toString()).sorted().toList();
        }
        List<String> index;
        try (var in = MigrationIndexTest.class.getClassLoader().getResourceAsStream(MigrationIndex.INDEX)) {
            index = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty()).sorted().toList();
        }
        assertThat(index).as("src/main/resources/" + MigrationIndex.INDEX + " must list every migration file")
                .isEqualTo(files);
    }

    @Test
    void aFreshFileIsNotUpToDate() throws Exception {
        try (var c = dataSource().getConnection()) {
            assertThat(MigrationIndex.upToDate(c)).isFalse();
        }
    }

    @Test
    void aStoreMissingTheLastMigrationIsNotUpToDateAndOpeningItAppliesIt() throws Exception {
        SQLiteDataSource ds = dataSource();
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("1").load().migrate();
        try (var c = ds.getConnection()) {
            assertThat(MigrationIndex.upToDate(c)).isFalse();
        }
        Database.open(dir.resolve("lightd.db")).close();
        try (var c = ds.getConnection()) {
            assertThat(MigrationIndex.upToDate(c)).isTrue();
        }
    }

    private SQLiteDataSource dataSource() {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("lightd.db"));
        return ds;
    }
}

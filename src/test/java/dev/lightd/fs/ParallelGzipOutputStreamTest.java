package dev.lightd.fs;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ParallelGzipOutputStreamTest {

    /** Text like a log: a few hundred words in random order. */
    static byte[] text(int size, long seed) {
        Random random = new Random(seed);
        String[] words = new String[300];
        for (int i = 0; i < words.length; i++) {
            words[i] = Long.toString(random.nextLong(1L << 40), 36);
        }
        StringBuilder sb = new StringBuilder();
        while (sb.length() < size) {
            sb.append(words[random.nextInt(words.length)]).append(random.nextInt(12) == 0 ? '\n' : ' ');
        }
        return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] gzip(byte[] data, int writeSize) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(sink)) {
            for (int off = 0; off < data.length; off += writeSize) {
                gz.write(data, off, Math.min(writeSize, data.length - off));
            }
        }
        return sink.toByteArray();
    }

    static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void textRandomAndTheirMixAllComeBackByteForByte() throws IOException {
        ByteArrayOutputStream mixed = new ByteArrayOutputStream();
        mixed.write(text(3_000_000, 1));
        mixed.write(random(2_500_000, 2)); // starts in the middle of a piece and of a block
        mixed.write(text(100_000, 3));
        mixed.write(random(70_000, 4));
        mixed.write(text(1_234_567, 5));
        byte[] data = mixed.toByteArray();

        assertThat(gunzip(gzip(data, 65_536))).isEqualTo(data);
        assertThat(gunzip(gzip(data, 1_000))).isEqualTo(data);
    }

    @Test
    void randomDataIsStoredAtAboutItsOwnSizeAndTextIsStillCompressed() throws IOException {
        byte[] random = random(4_000_000, 6);
        byte[] text = text(4_000_000, 7);

        byte[] randomGz = gzip(random, 65_536);
        byte[] textGz = gzip(text, 65_536);

        // stored blocks add 5 bytes per 64 KiB and a gzip header and trailer per 1 MiB block
        assertThat(randomGz.length).isLessThan(random.length + random.length / 1000);
        assertThat(textGz.length).isLessThan(text.length / 2);
        assertThat(gunzip(randomGz)).isEqualTo(random);
    }

    @Test
    void emptyInputIsAnEmptyButValidGzip() throws IOException {
        assertThat(gunzip(gzip(new byte[0], 1))).isEmpty();
    }
}

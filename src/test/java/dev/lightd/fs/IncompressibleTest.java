package dev.lightd.fs;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class IncompressibleTest {

    @Test
    void randomAndAlreadyDeflatedDataAreIncompressible() throws Exception {
        byte[] random = ParallelGzipOutputStreamTest.random(65_536, 1);
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(deflated)) {
            out.write(ParallelGzipOutputStreamTest.text(400_000, 2));
        }
        byte[] zlib = Arrays.copyOf(deflated.toByteArray(), 65_536);

        assertThat(Incompressible.test(random, 0, random.length)).isTrue();
        assertThat(Incompressible.test(zlib, 0, zlib.length)).isTrue();
    }

    @Test
    void textZerosAndShortPiecesAreCompressed() {
        byte[] text = ParallelGzipOutputStreamTest.text(65_536, 3);
        byte[] random = ParallelGzipOutputStreamTest.random(65_536, 4);

        assertThat(Incompressible.test(text, 0, text.length)).isFalse();
        assertThat(Incompressible.test(new byte[65_536], 0, 65_536)).isFalse();
        assertThat(Incompressible.test(random, 100, Incompressible.MIN_BYTES - 1)).isFalse();
    }
}

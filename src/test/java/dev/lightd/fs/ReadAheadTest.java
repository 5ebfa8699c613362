package dev.lightd.fs;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadAheadTest {

    @Test
    void everyByteArrivesInOrderWhateverTheReadSizes() throws IOException {
        byte[] data = ParallelGzipOutputStreamTest.random(ReadAhead.CHUNK * 3 + 12_345, 1);
        try (ReadAhead in = new ReadAhead(new ByteArrayInputStream(data), "test-read")) {
            byte[] head = new byte[7];
            assertThat(in.readNBytes(head, 0, 7)).isEqualTo(7);
            int first = in.read();
            byte[] rest = in.readAllBytes();
            assertThat(head).isEqualTo(java.util.Arrays.copyOf(data, 7));
            assertThat(first).isEqualTo(data[7] & 0xff);
            assertThat(rest).isEqualTo(java.util.Arrays.copyOfRange(data, 8, data.length));
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aFailureOfTheSourceReachesTheReaderAfterWhatCameBefore() throws IOException {
        InputStream failing = new InputStream() {
            int left = 1000;

            @Override
            public int read() throws IOException {
                if (left-- > 0) {
                    return 'x';
                }
                throw new IOException("Corrupt input");
            }
        };
        try (ReadAhead in = new ReadAhead(failing, "test-read")) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class).hasMessage("Corrupt input");
        }
    }

    @Test
    void closingStopsTheReadingThreadAndClosesTheSource() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 1);
                return len;
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        ReadAhead in = new ReadAhead(endless, "test-read-endless");
        assertThat(in.read()).isEqualTo(1);
        in.close();

        assertThat(closed).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("test-read-endless"));
    }
}

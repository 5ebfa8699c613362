package dev.lightd.runtime;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The stdin side of an attach: text written here is read by the engine's attach stream. Unlike
 * PipedInputStream it is not tied to the writing thread, which matters with short-lived virtual threads.
 */
final class StdinPipe extends InputStream {

    private static final byte[] EOF = new byte[0];

    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private byte[] current = new byte[0];
    private int pos;
    private volatile boolean closed;

    void write(String text) {
        if (!closed) {
            chunks.add(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        while (pos >= current.length) {
            if (current == EOF) {
                return -1;
            }
            try {
                current = chunks.take();
                pos = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        if (current == EOF) {
            return -1;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() {
        closed = true;
        chunks.add(EOF);
    }
}

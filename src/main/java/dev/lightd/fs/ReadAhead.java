package dev.lightd.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream on a thread of its own, a few chunks ahead of its reader: decompression runs on one
 * core while the reader creates and writes the files on the other, as {@code zstd -d | tar x} does
 * with two processes. Extraction on one thread left a core idle and took 1.4 times as long as the
 * pipe. Memory is bounded: {@link #DEPTH} chunks of {@link #CHUNK} bytes, reused.
 */
final class ReadAhead extends InputStream {

    static final int CHUNK = 1 << 18;
    static final int DEPTH = 4;

    /** A chunk read; {@code len} -1 at the end of the source, {@code failure} set if reading it failed. */
    private record Chunk(byte[] data, int len, Throwable failure) {}

    private final InputStream source;
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(DEPTH + 1);
    private final BlockingQueue<byte[]> empty = new ArrayBlockingQueue<>(DEPTH);
    private final Thread reader;
    private Chunk current;
    private int pos;
    private boolean ended;

    /** Starts reading {@code source} at once; closing this stream stops the reading and closes the source. */
    ReadAhead(InputStream source, String threadName) {
        this.source = source;
        for (int i = 0; i < DEPTH; i++) {
            empty.add(new byte[CHUNK]);
        }
        this.reader = Thread.ofPlatform().daemon().name(threadName).start(this::readAll);
    }

    private void readAll() {
        try {
            while (true) {
                byte[] buf = empty.take();
                int n = source.readNBytes(buf, 0, buf.length);
                if (n == 0) {
                    full.put(new Chunk(null, -1, null));
                    return;
                }
                full.put(new Chunk(buf, n, null));
            }
        } catch (InterruptedException e) {
            // closed by the reader: stop
        } catch (IOException | RuntimeException | Error e) {
            full.offer(new Chunk(null, -1, e)); // a slot is free: the reader has taken what came before
        }
    }

    /** The chunk to read from, or null at the end. */
    private Chunk chunk() throws IOException {
        if (current != null && pos < current.len) {
            return current;
        }
        if (ended) {
            return null;
        }
        if (current != null) {
            empty.add(current.data);
            current = null;
        }
        Chunk next;
        try {
            next = full.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while extracting");
        }
        if (next.failure != null) {
            ended = true;
            switch (next.failure) {
                case IOException io -> throw io;
                case RuntimeException re -> throw re;
                case Error err -> throw err;
                default -> throw new IOException(next.failure);
            }
        }
        if (next.len < 0) {
            ended = true;
            return null;
        }
        current = next;
        pos = 0;
        return current;
    }

    @Override
    public int read() throws IOException {
        Chunk c = chunk();
        return c == null ? -1 : c.data[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        Chunk c = chunk();
        if (c == null) {
            return -1;
        }
        int n = Math.min(len, c.len - pos);
        System.arraycopy(c.data, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        reader.interrupt();
        boolean interrupted = false;
        while (true) {
            try {
                reader.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the source must not be closed under the reading thread
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}

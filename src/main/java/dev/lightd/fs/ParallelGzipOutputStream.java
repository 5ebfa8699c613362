package dev.lightd.fs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;
import java.util.concurrent.ExecutionException;

/**
 * gzip over every core, as pigz does: the stream is cut into blocks, each compressed on its own into
 * a complete gzip member, and the members are written in order. Concatenated members are a valid
 * gzip file (RFC 1952) that gunzip, tar and Java all read. At most 2 blocks per core are in flight,
 * so memory stays bounded whatever the input size.
 */
final class ParallelGzipOutputStream extends OutputStream {

    private static final int BLOCK = 1 << 20;

    private final OutputStream out;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private byte[] block = new byte[BLOCK];
    private int filled;

    ParallelGzipOutputStream(OutputStream out) {
        int cores = Runtime.getRuntime().availableProcessors();
        this.out = out;
        this.pool = Executors.newFixedThreadPool(cores, Thread.ofPlatform().daemon().name("gzip-", 0).factory());
        this.maxInFlight = cores * 2;
    }

    @Override
    public void write(int b) throws IOException {
        block[filled++] = (byte) b;
        if (filled == BLOCK) {
            submit();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, BLOCK - filled);
            System.arraycopy(b, off, block, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BLOCK) {
                submit();
            }
        }
    }

    private void submit() throws IOException {
        byte[] data = block;
        int size = filled;
        inFlight.add(pool.submit(() -> compress(data, size)));
        block = new byte[BLOCK];
        filled = 0;
        while (inFlight.size() >= maxInFlight) {
            drainOne();
        }
    }

    private static byte[] compress(byte[] data, int size) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(size / 2 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(buf, 64 * 1024)) {
            gz.write(data, 0, size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    private void drainOne() throws IOException {
        try {
            out.write(inFlight.removeFirst().get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (filled > 0 || inFlight.isEmpty()) {
                submit();
            }
            while (!inFlight.isEmpty()) {
                drainOne();
            }
            out.close();
        } finally {
            pool.shutdownNow();
        }
    }
}

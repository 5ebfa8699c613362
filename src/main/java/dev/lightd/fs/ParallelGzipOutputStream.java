package dev.lightd.fs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.concurrent.ExecutionException;

/**
 * gzip over every core, as pigz does: the stream is cut into blocks, each compressed on its own into
 * a complete gzip member, and the members are written in order. Concatenated members are a valid
 * gzip file (RFC 1952) that gunzip, tar and Java all read. At most 2 blocks per core are in flight,
 * so memory stays bounded whatever the input size. Blocks and their output buffers are reused: a
 * megabyte array is larger than a small young generation and is allocated straight in the old one,
 * so fresh ones per block grew the heap by the size of the archive (650 MB for a 150 MB tree).
 *
 * <p>Pieces that look incompressible ({@link Incompressible}: region files, jars, images, anything
 * already compressed) are stored instead of deflated. Deflate at level 6 spends as much time on them
 * as on text and gains nothing (its output is as large as the input); stored, they cost a copy. The
 * archive stays a standard gzip file, about as large as pigz's (docs/archives-performance.md).
 */
final class ParallelGzipOutputStream extends OutputStream {

    private static final int BLOCK = 1 << 20;
    /** Each block is deflated in pieces of this size, each stored as is when it looks incompressible. */
    static final int PIECE = 1 << 16;

    private final OutputStream out;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final ArrayDeque<Future<Block>> inFlight = new ArrayDeque<>();
    /** Blocks whose compressed member was written: ready to take input again. */
    private final ArrayDeque<Block> spare = new ArrayDeque<>();
    private Block block = new Block();
    private int filled;

    /** One block of input and the buffer its gzip member is compressed into. */
    private static final class Block {
        final byte[] data = new byte[BLOCK];
        final ByteArrayOutputStream compressed = new ByteArrayOutputStream(BLOCK / 2 + 64);
    }

    ParallelGzipOutputStream(OutputStream out) {
        int cores = Runtime.getRuntime().availableProcessors();
        this.out = out;
        this.pool = Executors.newFixedThreadPool(cores, Thread.ofPlatform().daemon().name("gzip-", 0).factory());
        this.maxInFlight = cores * 2;
    }

    @Override
    public void write(int b) throws IOException {
        block.data[filled++] = (byte) b;
        if (filled == BLOCK) {
            submit();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, BLOCK - filled);
            System.arraycopy(b, off, block.data, filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BLOCK) {
                submit();
            }
        }
    }

    private void submit() throws IOException {
        Block full = block;
        int size = filled;
        inFlight.add(pool.submit(() -> compress(full, size)));
        while (inFlight.size() >= maxInFlight) {
            drainOne();
        }
        block = spare.isEmpty() ? new Block() : spare.removeFirst();
        filled = 0;
    }

    private static Block compress(Block block, int size) {
        block.compressed.reset();
        try (Member gz = new Member(block.compressed)) {
            for (int off = 0; off < size; off += PIECE) {
                int n = Math.min(PIECE, size - off);
                gz.level(Incompressible.test(block.data, off, n) ? Deflater.NO_COMPRESSION : Deflater.DEFAULT_COMPRESSION);
                gz.write(block.data, off, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return block;
    }

    /** One gzip member whose deflate level can change between pieces (the stream stays one valid deflate stream). */
    private static final class Member extends GZIPOutputStream {
        Member(OutputStream out) throws IOException {
            super(out, 64 * 1024);
        }

        void level(int level) {
            def.setLevel(level); // takes effect from the next input on; same level: no effect
        }
    }

    private void drainOne() throws IOException {
        try {
            Block done = inFlight.removeFirst().get();
            done.compressed.writeTo(out); // its own array, no copy
            spare.addLast(done);
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

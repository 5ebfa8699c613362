package dev.lightd.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Cuts a byte stream arriving in arbitrary frames into lines (each with its newline). */
final class LineSplitter {

    private static final int MAX_LINE = 16 * 1024;

    private final Consumer<String> lines;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    LineSplitter(Consumer<String> lines) {
        this.lines = lines;
    }

    synchronized void accept(byte[] payload) {
        for (byte b : payload) {
            pending.write(b);
            if (b == '\n' || pending.size() >= MAX_LINE) {
                emit();
            }
        }
    }

    synchronized void flush() {
        if (pending.size() > 0) {
            pending.write('\n');
            emit();
        }
    }

    private void emit() {
        lines.accept(pending.toString(StandardCharsets.UTF_8));
        pending.reset();
    }
}

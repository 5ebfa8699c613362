package dev.lightd.supervisor;

import dev.lightd.runtime.Attachment;

import java.io.Closeable;
import java.io.IOException;

/** The console and stats streams of one run of a server's process; id orders runs. */
record Run(long id, String engineId, Attachment attachment, Closeable stats) {

    void close() {
        attachment.close();
        try {
            stats.close();
        } catch (IOException ignored) {
            // the stream already ended
        }
    }
}

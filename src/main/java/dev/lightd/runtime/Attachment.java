package dev.lightd.runtime;

import java.io.Closeable;

/** A live attach: write to the process's stdin, close to detach. */
public interface Attachment extends Closeable {

    void write(String text);

    @Override
    void close();
}

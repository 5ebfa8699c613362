package dev.lightd.fs;

import java.io.IOException;
import java.io.InputStream;

/** A regular file opened for reading beneath a root, with what it was when opened. The caller closes it. */
public record OpenFile(InputStream stream, FileEntry entry) implements AutoCloseable {

    @Override
    public void close() throws IOException {
        stream.close();
    }
}

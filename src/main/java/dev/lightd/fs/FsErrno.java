package dev.lightd.fs;

/** A failed system call and its errno; the rules layer turns it into a client-facing answer. */
final class FsErrno extends RuntimeException {

    final int errno;

    FsErrno(int errno, String call, String path) {
        super(call + "(" + path + ") failed with errno " + errno, null, false, false);
        this.errno = errno;
    }
}

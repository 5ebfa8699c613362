package dev.lightd.fs;

/**
 * Tells data that deflate cannot shrink (already compressed or random) from data it can, by the
 * entropy of its bytes: above {@link #BITS_PER_BYTE} bits per byte, Huffman coding saves under 1%,
 * and such data (zlib-compressed region chunks, jars, images) has no long repeats for LZ77 either.
 * Counting the bytes costs about 1/50 of deflating them.
 */
final class Incompressible {

    static final double BITS_PER_BYTE = 7.95;
    /** Below this many bytes the estimate is too rough (and the piece too small to matter). */
    static final int MIN_BYTES = 4096;

    private Incompressible() {}

    static boolean test(byte[] data, int off, int len) {
        if (len < MIN_BYTES) {
            return false;
        }
        int[] counts = new int[256];
        for (int i = off, end = off + len; i < end; i++) {
            counts[data[i] & 0xff]++;
        }
        double bits = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / len;
                bits -= p * Math.log(p);
            }
        }
        return bits / Math.log(2) > BITS_PER_BYTE;
    }
}

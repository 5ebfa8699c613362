package dev.lightd.runtime;

/** The image is not present and cannot be pulled. */
public class ImageNotFoundException extends RuntimeException {
    public ImageNotFoundException(String image) {
        super("image not found: " + image);
    }
}

package io.github.deepc.anomaly.benchmarks;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.io.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes images as NumPy {@code .npy} files (format 1.0, little-endian float32, C order, shape {@code [N, 1, H, W]}),
 * so that a Python benchmark reads exactly the pixels the library trained on. Hand-written because the format is a
 * ten-line header and no library in the stack writes it.
 */
final class NpyFiles {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    /** The header (magic, length field, dictionary) is padded to a multiple of this, as the format asks. */
    private static final int ALIGN = 64;

    private NpyFiles() {
    }

    /**
     * Writes the images' pixels, or their validity masks as 0/1, atomically.
     *
     * @param file   the target
     * @param images images of one size, at least one
     * @param masks  whether to write the masks instead of the pixels
     * @throws IOException              naming the file when it cannot be written
     * @throws IllegalArgumentException when the list is empty or the sizes differ
     */
    static void write(Path file, List<GrayImage> images, boolean masks) throws IOException {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to write to " + file);
        }
        int h = images.get(0).height();
        int w = images.get(0).width();
        String dict = String.format(Locale.ROOT, "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, 1, %d, %d), }",
                images.size(), h, w);
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        String header = dict + " ".repeat((ALIGN - unpadded % ALIGN) % ALIGN) + "\n";
        AtomicFiles.write(file, raw -> {
            BufferedOutputStream out = new BufferedOutputStream(raw, 1 << 16);
            out.write(MAGIC);
            out.write(header.length() & 0xff);
            out.write(header.length() >>> 8);
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            ByteBuffer row = ByteBuffer.allocate(h * w * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < images.size(); i++) {
                GrayImage img = images.get(i);
                if (img.height() != h || img.width() != w) {
                    throw new IllegalArgumentException("image " + i + " is " + img.width() + "x" + img.height()
                            + ", the first one " + w + "x" + h + ": one .npy file holds one size");
                }
                row.clear();
                if (masks) {
                    for (boolean valid : img.unsafeMask()) {
                        row.putFloat(valid ? 1f : 0f);
                    }
                } else {
                    row.asFloatBuffer().put(img.unsafePixels());
                }
                out.write(row.array());
            }
            out.flush();
        });
    }
}

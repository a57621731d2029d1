package io.github.deepc.anomaly.dicom;

/**
 * The image pixel module attributes (PS3.3 C.7.6.3) that describe how pixel values are stored.
 *
 * @param rows                rows
 * @param columns             columns
 * @param samplesPerPixel     1 for grey, 3 for colour
 * @param bitsAllocated       bits per stored sample (1, 8, 16 or 32)
 * @param bitsStored          significant bits of a sample
 * @param highBit             most significant bit of a sample within its allocation
 * @param signed              pixel representation 1 (two's complement)
 * @param photometric         photometric interpretation, e.g. MONOCHROME2
 * @param planarConfiguration 0: colour samples interleaved, 1: one plane per colour
 * @param frames              number of frames
 */
record PixelModule(int rows, int columns, int samplesPerPixel, int bitsAllocated, int bitsStored, int highBit,
        boolean signed, String photometric, int planarConfiguration, int frames) {

    static PixelModule of(DicomFile f) throws DicomFormatException {
        DicomDataSet d = f.data();
        int rows = required(f, Tags.ROWS, "Rows");
        int cols = required(f, Tags.COLUMNS, "Columns");
        int bitsAllocated = required(f, Tags.BITS_ALLOCATED, "Bits Allocated");
        int bitsStored = d.integer(Tags.BITS_STORED).orElse(bitsAllocated);
        int highBit = d.integer(Tags.HIGH_BIT).orElse(bitsStored - 1);
        int spp = d.integer(Tags.SAMPLES_PER_PIXEL).orElse(1);
        String photometric = d.string(Tags.PHOTOMETRIC_INTERPRETATION).orElse(spp == 1 ? "MONOCHROME2" : "RGB");
        int frames = Math.max(1, d.integer(Tags.NUMBER_OF_FRAMES).orElse(1));
        if (rows < 1 || cols < 1) {
            throw new DicomFormatException(f.path() + ": invalid image size " + cols + "x" + rows
                    + " (Rows/Columns must be positive)");
        }
        if (bitsAllocated != 1 && bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
            throw new DicomFormatException(f.path() + ": Bits Allocated " + bitsAllocated
                    + " is not supported (expected 1, 8, 16 or 32)");
        }
        if (bitsStored < 1 || bitsStored > bitsAllocated) {
            throw new DicomFormatException(f.path() + ": Bits Stored " + bitsStored + " must be between 1 and Bits"
                    + " Allocated (" + bitsAllocated + ")");
        }
        if (spp != 1 && spp != 3) {
            throw new DicomFormatException(f.path() + ": Samples per Pixel " + spp + " is not supported (expected 1 or 3)");
        }
        return new PixelModule(rows, cols, spp, bitsAllocated, bitsStored, highBit,
                d.integer(Tags.PIXEL_REPRESENTATION).orElse(0) == 1, photometric,
                d.integer(Tags.PLANAR_CONFIGURATION).orElse(0), frames);
    }

    private static int required(DicomFile f, int tag, String name) throws DicomFormatException {
        return f.data().integer(tag).orElseThrow(() -> new DicomFormatException(f.path() + ": required tag "
                + Tags.format(tag) + " " + name + " is missing"));
    }

    /** @return pixels per frame */
    int pixels() {
        return rows * columns;
    }

    /** @return bits of one native frame */
    long frameBits() {
        return (long) rows * columns * samplesPerPixel * bitsAllocated;
    }

    boolean monochrome() {
        return photometric.startsWith("MONOCHROME");
    }
}

package io.github.deepc.anomaly.dicom;

/**
 * Decodes one frame of DICOM RLE lossless (PS3.5 annex G): a 64-byte header of segment offsets, then one
 * PackBits-compressed segment per byte plane (most significant byte first) of each sample.
 * Written here because no Java library on Maven Central implements this DICOM-specific format; it is 30 lines.
 */
final class RleDecoder {
    private RleDecoder() {
    }

    /**
     * @return raw sample bytes as native little endian pixel data would hold them (planar: one plane per sample)
     */
    static byte[] decode(byte[] frame, PixelModule pm, String where) throws DicomFormatException {
        int bytesPerSample = pm.bitsAllocated() / 8;
        int segmentsExpected = bytesPerSample * pm.samplesPerPixel();
        if (frame.length < 64) {
            throw new DicomFormatException(where + ": RLE frame is shorter than its 64-byte header");
        }
        int segments = readLe(frame, 0);
        if (segments != segmentsExpected) {
            throw new DicomFormatException(where + ": RLE frame has " + segments + " segments, expected "
                    + segmentsExpected + " for " + pm.samplesPerPixel() + " sample(s) of " + pm.bitsAllocated() + " bits");
        }
        int n = pm.pixels();
        byte[] out = new byte[n * segments];
        for (int s = 0; s < segments; s++) {
            int start = readLe(frame, 4 + 4 * s);
            int end = s + 1 < segments ? readLe(frame, 8 + 4 * s) : frame.length;
            if (start < 64 || start > frame.length || end < start || end > frame.length) {
                throw new DicomFormatException(where + ": RLE segment " + s + " offset " + start + " lies outside the frame");
            }
            int sample = s / bytesPerSample;
            int byteInSample = bytesPerSample - 1 - s % bytesPerSample; // segments are most significant first
            byte[] plane = unpackBits(frame, start, end, n, where);
            // lay the bytes out as planar little endian: sample plane, then pixel, then byte within the sample
            int base = sample * n * bytesPerSample;
            for (int i = 0; i < n; i++) {
                out[base + i * bytesPerSample + byteInSample] = plane[i];
            }
        }
        return out;
    }

    private static byte[] unpackBits(byte[] in, int pos, int end, int n, String where) throws DicomFormatException {
        byte[] out = new byte[n];
        int o = 0;
        while (o < n && pos < end) {
            int h = in[pos++];
            if (h >= 0) {
                int count = Math.min(h + 1, Math.min(n - o, end - pos));
                System.arraycopy(in, pos, out, o, count);
                pos += h + 1;
                o += count;
            } else if (h != -128) {
                if (pos >= end) {
                    break;
                }
                byte v = in[pos++];
                int count = Math.min(1 - h, n - o);
                for (int i = 0; i < count; i++) {
                    out[o++] = v;
                }
            }
        }
        if (o < n) {
            throw new DicomFormatException(where + ": RLE segment decodes to " + o + " bytes, expected " + n
                    + " (truncated pixel data)");
        }
        return out;
    }

    private static int readLe(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }
}

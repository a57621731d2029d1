package io.github.deepc.anomaly.dicom;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns a file's pixel data into stored sample values per frame: native (any endianness, 1 to 32 bits),
 * RLE, or JPEG (baseline, extended, lossless) through the TwelveMonkeys ImageIO reader. Values are masked to
 * Bits Stored below High Bit and sign-extended for signed pixel representation.
 */
final class PixelDecoder {
    private final DicomFile file;
    private final PixelModule pm;

    PixelDecoder(DicomFile file, PixelModule pm) {
        this.file = file;
        this.pm = pm;
    }

    /**
     * @param frame frame index, from 0
     * @return {@code rows * columns * samplesPerPixel} values, pixel-interleaved (pixel i's sample s at i*spp+s)
     */
    double[] frame(int frame) throws IOException {
        DicomElement px = file.data().get(Tags.PIXEL_DATA);
        if (px == null) {
            throw new NotAnImageException(file.path() + ": no pixel data");
        }
        if (file.syntax() == null) {
            throw new DicomFormatException(file.path() + ": transfer syntax " + file.syntaxUid()
                    + " is not supported (supported: native little/big endian, deflated, RLE, JPEG baseline,"
                    + " extended and lossless)");
        }
        if (px.fragments() != null) {
            return encapsulated(frameBytes(px.fragments(), frame), frame);
        }
        if (file.syntax().encapsulated()) {
            throw new DicomFormatException(file.path() + ": transfer syntax " + file.syntaxUid()
                    + " requires encapsulated pixel data, but the pixel data is native");
        }
        return nativeFrame(px.value(), frame);
    }

    private double[] nativeFrame(byte[] data, int frame) throws DicomFormatException {
        if (pm.photometric().equals("YBR_FULL_422") && pm.bitsAllocated() == 8) {
            return ybr422Luma(data, frame);
        }
        long bits = pm.frameBits();
        long needed = (bits * (frame + 1) + 7) / 8;
        if (data.length < needed) {
            throw new DicomFormatException(file.path() + ": pixel data is truncated: " + data.length + " bytes, frame "
                    + frame + " of " + pm.columns() + "x" + pm.rows() + "x" + pm.samplesPerPixel() + " at "
                    + pm.bitsAllocated() + " bits needs " + needed);
        }
        return unpack(data, bits * frame, file.data().bigEndian(), pm.planarConfiguration() == 1);
    }

    /** Native YBR_FULL_422 stores Y1 Y2 Cb Cr per pixel pair (PS3.3 C.7.6.3.1.2); grey needs only Y. */
    private double[] ybr422Luma(byte[] data, int frame) throws DicomFormatException {
        int n = pm.pixels();
        int frameBytes = n * 2;
        if (data.length < (long) frameBytes * (frame + 1)) {
            throw new DicomFormatException(file.path() + ": pixel data is truncated: " + data.length + " bytes, frame "
                    + frame + " of " + pm.columns() + "x" + pm.rows() + " YBR_FULL_422 needs " + (long) frameBytes * (frame + 1));
        }
        double[] out = new double[n * 3];
        int base = frameBytes * frame;
        for (int i = 0; i < n; i++) {
            out[3 * i] = storedValue(data[base + 4 * (i / 2) + (i % 2)] & 0xFF);
        }
        return out;
    }

    /** Reads samples starting at bit {@code bitOffset} of native-layout bytes. */
    private double[] unpack(byte[] data, long bitOffset, boolean bigEndian, boolean planar) {
        int n = pm.pixels();
        int spp = pm.samplesPerPixel();
        double[] out = new double[n * spp];
        ByteBuffer b = ByteBuffer.wrap(data).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int base = (int) (bitOffset / 8);
        for (int k = 0; k < n * spp; k++) {
            long raw;
            switch (pm.bitsAllocated()) {
                case 1: {
                    long bit = bitOffset + k;
                    raw = (data[(int) (bit >>> 3)] >> (bit & 7)) & 1;
                    break;
                }
                case 8:
                    raw = data[base + k] & 0xFF;
                    break;
                case 16:
                    raw = b.getShort(base + 2 * k) & 0xFFFF;
                    break;
                default:
                    raw = b.getInt(base + 4 * k) & 0xFFFFFFFFL;
            }
            int pixel = planar ? k % n : k / spp;
            int sample = planar ? k / n : k % spp;
            out[pixel * spp + sample] = storedValue(raw);
        }
        return out;
    }

    /** Masks to Bits Stored (below High Bit) and sign-extends. */
    private double storedValue(long raw) {
        int shift = Math.max(0, pm.highBit() + 1 - pm.bitsStored());
        long mask = pm.bitsStored() >= 64 ? -1L : (1L << pm.bitsStored()) - 1;
        long v = (raw >>> shift) & mask;
        if (pm.signed() && (v & (1L << (pm.bitsStored() - 1))) != 0) {
            v -= 1L << pm.bitsStored();
        }
        return v;
    }

    private double[] encapsulated(byte[] bytes, int frame) throws IOException {
        switch (file.syntax().compression()) {
            case RLE: {
                String where = file.path() + " frame " + frame;
                byte[] planes = RleDecoder.decode(bytes, pm, where);
                return unpack(planes, 0, false, true);
            }
            case JPEG:
                return jpeg(bytes, frame);
            default:
                throw new DicomFormatException(file.path() + ": transfer syntax " + file.syntaxUid() + " ("
                        + file.syntax().name() + ") is not supported: no maintained Java decoder is published on"
                        + " Maven Central; convert the file first, e.g. with "
                        + (file.syntax().compression() == TransferSyntax.Compression.JPEG_LS ? "dcmtk's dcmdjpls or " : "")
                        + "gdcmconv --raw");
        }
    }

    private double[] jpeg(byte[] bytes, int frame) throws IOException {
        ImageReader reader = JpegReaders.create();
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            reader.setInput(in);
            int n = pm.pixels();
            int spp = pm.samplesPerPixel();
            double[] out = new double[n * spp];
            // raw components, no colour conversion: Photometric Interpretation says what they are (RGB or YBR)
            Raster r = reader.readRaster(0, null);
            checkSize(r.getWidth(), r.getHeight(), frame);
            if (r.getNumBands() != spp) {
                throw new DicomFormatException(file.path() + ": frame " + frame + " has " + r.getNumBands()
                        + " JPEG components, Samples per Pixel says " + spp);
            }
            int[] row = new int[pm.columns()];
            for (int s = 0; s < spp; s++) {
                for (int y = 0; y < pm.rows(); y++) {
                    r.getSamples(r.getMinX(), r.getMinY() + y, pm.columns(), 1, s, row);
                    for (int x = 0; x < pm.columns(); x++) {
                        out[(y * pm.columns() + x) * spp + s] = storedValue(row[x] & 0xFFFFFFFFL);
                    }
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            if (e instanceof DicomFormatException d) {
                throw d;
            }
            throw new DicomFormatException(file.path() + ": JPEG pixel data (" + file.syntaxUid() + ") of frame " + frame
                    + " cannot be decoded: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }

    private void checkSize(int w, int h, int frame) throws DicomFormatException {
        if (w != pm.columns() || h != pm.rows()) {
            throw new DicomFormatException(file.path() + ": frame " + frame + " decodes to " + w + "x" + h
                    + " but Rows/Columns say " + pm.columns() + "x" + pm.rows());
        }
    }

    /** Collects the bytes of one frame from the fragments (PS3.5 A.4): offset table, one per frame, or by markers. */
    private byte[] frameBytes(List<byte[]> fragments, int frame) throws DicomFormatException {
        if (fragments.size() < 2) {
            throw new DicomFormatException(file.path() + ": encapsulated pixel data has no fragments");
        }
        List<byte[]> data = fragments.subList(1, fragments.size());
        byte[] bot = fragments.get(0);
        List<List<byte[]>> frames = new ArrayList<>();
        if (pm.frames() == 1) {
            frames.add(data);
        } else if (bot.length >= 4 * pm.frames()) {
            ByteBuffer b = ByteBuffer.wrap(bot).order(ByteOrder.LITTLE_ENDIAN);
            long[] starts = new long[pm.frames()];
            for (int i = 0; i < starts.length; i++) {
                starts[i] = b.getInt() & 0xFFFFFFFFL;
            }
            long pos = 0;
            int f = -1;
            for (byte[] frag : data) {
                while (f + 1 < starts.length && pos >= starts[f + 1]) {
                    f++;
                    frames.add(new ArrayList<>());
                }
                frames.get(Math.max(f, 0)).add(frag);
                pos += 8 + frag.length;
            }
        } else if (data.size() == pm.frames()) {
            for (byte[] frag : data) {
                frames.add(List.of(frag));
            }
        } else if (file.syntax().compression() == TransferSyntax.Compression.JPEG) {
            for (byte[] frag : data) {
                boolean soi = frag.length >= 2 && (frag[0] & 0xFF) == 0xFF && (frag[1] & 0xFF) == 0xD8;
                if (soi || frames.isEmpty()) {
                    frames.add(new ArrayList<>());
                }
                frames.get(frames.size() - 1).add(frag);
            }
        } else {
            throw new DicomFormatException(file.path() + ": cannot tell the " + pm.frames() + " frames apart in "
                    + data.size() + " fragments without a basic offset table");
        }
        if (frame >= frames.size()) {
            throw new DicomFormatException(file.path() + ": frame " + frame + " is missing from the encapsulated pixel"
                    + " data (" + frames.size() + " found, Number of Frames " + pm.frames() + ")");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] frag : frames.get(frame)) {
            out.writeBytes(frag);
        }
        return out.toByteArray();
    }
}

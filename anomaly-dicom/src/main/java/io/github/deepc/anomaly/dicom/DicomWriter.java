package io.github.deepc.anomaly.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes a grey-scale image (one or more frames) as a minimal DICOM Part 10 file (native pixel data in implicit or
 * explicit VR little endian, or explicit VR big endian). Meant for converting images for tests and demos; other
 * transfer syntaxes are a job for dcmtk or gdcm. Files are written atomically (temporary file, then move).
 */
public final class DicomWriter {
    /** Digital X-Ray Image Storage - For Presentation. */
    public static final String DX_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.1.1";
    private static final String IMPLEMENTATION_CLASS_UID = "1.2.826.0.1.3680043.10.1471.1";

    private final Map<Integer, byte[]> values = new TreeMap<>(Integer::compareUnsigned);
    private final Map<Integer, String> vrs = new TreeMap<>(Integer::compareUnsigned);
    private TransferSyntax syntax = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
    private boolean preamble = true;
    private int bitsAllocated = 16;
    private int bitsStored = 16;
    private boolean signed;
    private String photometric = "MONOCHROME2";

    /** @return a writer for a DX image with generated UIDs left to the caller */
    public static DicomWriter create() {
        return new DicomWriter().text(Tags.SOP_CLASS_UID, "UI", DX_IMAGE_STORAGE);
    }

    /**
     * @param ts implicit/explicit VR little endian or explicit VR big endian
     * @return this writer
     */
    public DicomWriter transferSyntax(TransferSyntax ts) {
        if (ts.encapsulated() || ts.deflated()) {
            throw new IllegalArgumentException("DicomWriter writes native pixel data only, not " + ts
                    + " (convert with dcmtk: dcmcjpeg, dcmcrle, dcmconv +td)");
        }
        this.syntax = ts;
        return this;
    }

    /**
     * @param withPreamble write the 128-byte preamble and "DICM" (false: the file starts with the meta group)
     * @return this writer
     */
    public DicomWriter preamble(boolean withPreamble) {
        this.preamble = withPreamble;
        return this;
    }

    /**
     * @param allocated 8 or 16
     * @param stored    significant bits, at most {@code allocated}
     * @param isSigned  two's complement samples
     * @return this writer
     */
    public DicomWriter bits(int allocated, int stored, boolean isSigned) {
        if ((allocated != 8 && allocated != 16) || stored < 1 || stored > allocated) {
            throw new IllegalArgumentException("bits allocated must be 8 or 16 and bits stored 1.." + allocated
                    + ", got " + allocated + "/" + stored);
        }
        this.bitsAllocated = allocated;
        this.bitsStored = stored;
        this.signed = isSigned;
        return this;
    }

    /**
     * @param interpretation MONOCHROME1 or MONOCHROME2
     * @return this writer
     */
    public DicomWriter photometric(String interpretation) {
        if (!interpretation.equals("MONOCHROME1") && !interpretation.equals("MONOCHROME2")) {
            throw new IllegalArgumentException("photometric must be MONOCHROME1 or MONOCHROME2, got " + interpretation);
        }
        this.photometric = interpretation;
        return this;
    }

    /**
     * @param slope     Rescale Slope
     * @param intercept Rescale Intercept
     * @return this writer
     */
    public DicomWriter rescale(double slope, double intercept) {
        text(Tags.RESCALE_SLOPE, "DS", ds(slope));
        return text(Tags.RESCALE_INTERCEPT, "DS", ds(intercept));
    }

    /**
     * @param center Window Center
     * @param width  Window Width
     * @return this writer
     */
    public DicomWriter window(double center, double width) {
        text(Tags.WINDOW_CENTER, "DS", ds(center));
        return text(Tags.WINDOW_WIDTH, "DS", ds(width));
    }

    /**
     * Sets a text element by its tag, e.g. {@code 0x00100010} for Patient's Name.
     *
     * @param tag   {@code (group << 16) | element}
     * @param vr    its value representation (AE, CS, DA, DS, IS, LO, PN, SH, UI...)
     * @param value the text
     * @return this writer
     */
    public DicomWriter text(int tag, String vr, String value) {
        byte[] b = value.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length % 2 == 1) {
            byte[] padded = java.util.Arrays.copyOf(b, b.length + 1);
            padded[b.length] = (byte) (vr.equals("UI") ? 0 : ' ');
            b = padded;
        }
        values.put(tag, b);
        vrs.put(tag, vr);
        return this;
    }

    /**
     * Sets the identifiers used for grouping and filtering.
     *
     * @param patientId        Patient ID
     * @param studyInstanceUid Study Instance UID
     * @param sopInstanceUid   SOP Instance UID
     * @param modality         Modality (CR, DX...)
     * @param bodyPart         Body Part Examined (HAND, CHEST...)
     * @param viewPosition     View Position (PA, AP...)
     * @return this writer
     */
    public DicomWriter identity(String patientId, String studyInstanceUid, String sopInstanceUid, String modality,
            String bodyPart, String viewPosition) {
        text(Tags.PATIENT_ID, "LO", patientId);
        text(Tags.STUDY_INSTANCE_UID, "UI", studyInstanceUid);
        text(Tags.SOP_INSTANCE_UID, "UI", sopInstanceUid);
        text(Tags.MODALITY, "CS", modality);
        text(Tags.BODY_PART_EXAMINED, "CS", bodyPart);
        return text(Tags.VIEW_POSITION, "CS", viewPosition);
    }

    /**
     * Writes the file.
     *
     * @param out    destination
     * @param width  columns
     * @param height rows
     * @param stored {@code width * height} stored values per frame, row-major, frame after frame (only the low
     *               {@code bitsAllocated} bits are kept); more than one frame writes Number of Frames
     * @throws IOException when it cannot be written
     */
    public void write(Path out, int width, int height, int[] stored) throws IOException {
        Objects.requireNonNull(out, "out");
        if (stored.length == 0 || stored.length % (width * height) != 0) {
            throw new IllegalArgumentException("stored has " + stored.length + " values, expected a multiple of "
                    + width * height);
        }
        int frames = stored.length / (width * height);
        boolean big = syntax.bigEndian();
        Map<Integer, byte[]> v = new TreeMap<>(Integer::compareUnsigned);
        Map<Integer, String> t = new TreeMap<>(Integer::compareUnsigned);
        v.putAll(values);
        t.putAll(vrs);
        putUs(v, t, Tags.SAMPLES_PER_PIXEL, 1, big);
        if (frames > 1) {
            byte[] n = Integer.toString(frames).getBytes(StandardCharsets.ISO_8859_1);
            v.put(Tags.NUMBER_OF_FRAMES, n.length % 2 == 0 ? n : (frames + " ").getBytes(StandardCharsets.ISO_8859_1));
            t.put(Tags.NUMBER_OF_FRAMES, "IS");
        }
        putUs(v, t, Tags.ROWS, height, big);
        putUs(v, t, Tags.COLUMNS, width, big);
        putUs(v, t, Tags.BITS_ALLOCATED, bitsAllocated, big);
        putUs(v, t, Tags.BITS_STORED, bitsStored, big);
        putUs(v, t, Tags.HIGH_BIT, bitsStored - 1, big);
        putUs(v, t, Tags.PIXEL_REPRESENTATION, signed ? 1 : 0, big);
        byte[] pt = photometric.getBytes(StandardCharsets.ISO_8859_1);
        v.put(Tags.PHOTOMETRIC_INTERPRETATION, pt.length % 2 == 0 ? pt : (photometric + " ").getBytes(StandardCharsets.ISO_8859_1));
        t.put(Tags.PHOTOMETRIC_INTERPRETATION, "CS");
        ByteBuffer px = ByteBuffer.allocate(stored.length * bitsAllocated / 8 + (bitsAllocated == 8 ? stored.length % 2 : 0))
                .order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (int s : stored) {
            if (bitsAllocated == 8) {
                px.put((byte) s);
            } else {
                px.putShort((short) s);
            }
        }
        v.put(Tags.PIXEL_DATA, px.array());
        t.put(Tags.PIXEL_DATA, bitsAllocated == 8 ? "OB" : "OW");

        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        String sopClass = new String(v.get(Tags.SOP_CLASS_UID), StandardCharsets.ISO_8859_1);
        byte[] sopInstance = v.getOrDefault(Tags.SOP_INSTANCE_UID, "1.2.3.4\0".getBytes(StandardCharsets.ISO_8859_1));
        element(meta, 0x00020001, "OB", new byte[] {0, 1}, true, false);
        element(meta, Tags.MEDIA_STORAGE_SOP_CLASS_UID, "UI", sopClass.getBytes(StandardCharsets.ISO_8859_1), true, false);
        element(meta, 0x00020003, "UI", sopInstance, true, false);
        element(meta, Tags.TRANSFER_SYNTAX_UID, "UI", uid(syntax.uid()), true, false);
        element(meta, 0x00020012, "UI", uid(IMPLEMENTATION_CLASS_UID), true, false);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        if (preamble) {
            file.writeBytes(new byte[128]);
            file.writeBytes("DICM".getBytes(StandardCharsets.ISO_8859_1));
        }
        element(file, 0x00020000, "UL", ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(meta.size()).array(),
                true, false);
        file.writeBytes(meta.toByteArray());
        for (Map.Entry<Integer, byte[]> e : v.entrySet()) {
            element(file, e.getKey(), t.get(e.getKey()), e.getValue(), syntax.explicitVr(), big);
        }
        Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".dicom-", ".tmp");
        try {
            Files.write(tmp, file.toByteArray());
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] uid(String s) {
        return (s.length() % 2 == 0 ? s : s + "\0").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String ds(double d) {
        String s = d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        if (s.length() > 16) {
            throw new IllegalArgumentException("decimal string " + s + " is longer than DICOM's 16 characters");
        }
        return s;
    }

    private static void putUs(Map<Integer, byte[]> v, Map<Integer, String> t, int tag, int value, boolean big) {
        v.put(tag, ByteBuffer.allocate(2).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                .putShort((short) value).array());
        t.put(tag, "US");
    }

    private static void element(ByteArrayOutputStream out, int tag, String vr, byte[] value, boolean explicit, boolean big) {
        ByteBuffer h = ByteBuffer.allocate(12).order(big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        h.putShort((short) (tag >>> 16)).putShort((short) tag);
        if (explicit) {
            h.put(vr.getBytes(StandardCharsets.ISO_8859_1));
            if (Set4.LONG.contains(vr)) {
                h.putShort((short) 0).putInt(value.length);
            } else {
                h.putShort((short) value.length);
            }
        } else {
            h.putInt(value.length);
        }
        out.write(h.array(), 0, h.position());
        out.writeBytes(value);
    }

    private static final class Set4 {
        static final java.util.Set<String> LONG = java.util.Set.of("OB", "OW", "OF", "SQ", "UT", "UN");
    }
}

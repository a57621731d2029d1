package io.github.deepc.anomaly.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Parses DICOM Part 10 files (PS3.10), with or without the 128-byte preamble and "DICM" magic.
 *
 * <p>Written here because no maintained Java DICOM toolkit is published on Maven Central (dcm4che is not,
 * ImageJ reads uncompressed files only and needs JVM-wide preferences). It is deliberately small: it walks the
 * element structure of every transfer syntax (implicit/explicit VR, little/big endian, deflated, encapsulated
 * fragments, nested sequences of defined or undefined length) and keeps the raw bytes; interpreting values is
 * left to {@link DicomDataSet}, pixels to {@link PixelDecoder}. The file is memory-mapped so that reading only
 * the header of a large file does not load its pixel data.
 */
final class DicomParser {
    private static final Set<String> VRS = Set.of("AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO",
            "LT", "OB", "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL",
            "UN", "UR", "US", "UT", "UV");
    /** Explicit VRs whose length is 4 bytes after 2 reserved bytes (PS3.5 table 7.1-1). */
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN",
            "UR", "UT", "UV");
    private static final int UNDEFINED = 0xFFFFFFFF;

    private final Path file;
    private final boolean withPixelData;
    /** Sequence nesting depth: only the top-level pixel data ends a header-only parse. */
    private int depth;

    private DicomParser(Path file, boolean withPixelData) {
        this.file = file;
        this.withPixelData = withPixelData;
    }

    /**
     * @param head the first bytes of a file (at least 132 when the file is that long)
     * @return whether they look like DICOM: "DICM" at 128, or a plausible preamble-less group 0002/0008 start
     */
    static boolean looksLikeDicom(byte[] head) {
        if (head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') {
            return true;
        }
        if (head.length < 8) {
            return false;
        }
        if (bigEndianStart(head)) {
            return true;
        }
        int group = (head[0] & 0xFF) | (head[1] & 0xFF) << 8;
        int element = (head[2] & 0xFF) | (head[3] & 0xFF) << 8;
        if ((group != 0x0002 && group != 0x0008) || element > 0x0200) {
            return false;
        }
        String vr = new String(head, 4, 2, StandardCharsets.ISO_8859_1);
        if (VRS.contains(vr)) {
            return true;
        }
        long len = (head[4] & 0xFFL) | (head[5] & 0xFFL) << 8 | (head[6] & 0xFFL) << 16 | (head[7] & 0xFFL) << 24;
        return len < 1024; // implicit VR: a short first value
    }

    /** A preamble-less explicit VR big endian start: group 0002/0008 written big endian, then a VR. */
    private static boolean bigEndianStart(byte[] head) {
        int group = (head[0] & 0xFF) << 8 | (head[1] & 0xFF);
        return (group == 0x0002 || group == 0x0008) && head.length >= 6
                && VRS.contains(new String(head, 4, 2, StandardCharsets.ISO_8859_1));
    }

    /**
     * Parses a file.
     *
     * @param file          the file
     * @param withPixelData whether to read the pixel data too (false: stop before it, for metadata only)
     * @return the parsed file
     * @throws DicomFormatException naming the file when it is not DICOM or is malformed
     * @throws IOException          when it cannot be read
     */
    static DicomFile parse(Path file, boolean withPixelData) throws IOException {
        ByteBuffer buf;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new DicomFormatException(file + ": file is larger than 2 GiB, not supported");
            }
            buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        try {
            return new DicomParser(file, withPixelData).parse(buf);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new DicomFormatException(file + ": malformed DICOM (" + e + ")", e);
        }
    }

    private DicomFile parse(ByteBuffer buf) throws IOException {
        byte[] head = new byte[(int) Math.min(132, buf.limit())];
        buf.get(0, head);
        if (!looksLikeDicom(head)) {
            throw new DicomFormatException(file + ": not a DICOM file (no \"DICM\" at byte 128 and no group 0002/0008"
                    + " element at the start)");
        }
        boolean preamble = head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C'
                && head[131] == 'M';
        buf.position(preamble ? 132 : 0).order(ByteOrder.LITTLE_ENDIAN);
        DicomDataSet meta = new DicomDataSet(false);
        if (peekGroup(buf, false) == 0x0002) {
            boolean metaExplicit = explicitAt(buf);
            readElements(buf, buf.limit(), metaExplicit, false, meta, 0x0002);
        }
        String uid = meta.string(Tags.TRANSFER_SYNTAX_UID).orElse(null);
        TransferSyntax syntax;
        if (uid == null) {
            // no meta information: guess the encoding from the first element (big endian only without a preamble)
            syntax = !preamble && bigEndianStart(head) ? TransferSyntax.EXPLICIT_VR_BIG_ENDIAN
                    : explicitAt(buf) ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
            uid = syntax.uid();
        } else {
            syntax = TransferSyntax.of(uid).orElse(null);
        }
        ByteBuffer body = buf;
        if (syntax != null && syntax.deflated()) {
            body = ByteBuffer.wrap(inflate(buf));
        }
        boolean bigEndian = syntax != null && syntax.bigEndian();
        body.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        boolean explicit = syntax == null || syntax.explicitVr();
        if (body.remaining() >= 6) {
            // files that say implicit but are explicit (and the reverse) exist; trust the bytes, as pydicom does
            explicit = explicitAt(body);
        }
        DicomDataSet data = new DicomDataSet(bigEndian);
        readElements(body, body.limit(), explicit, false, data, -1);
        return new DicomFile(file, meta, data, uid, syntax);
    }

    private static int peekGroup(ByteBuffer b, boolean bigEndian) {
        if (b.remaining() < 2) {
            return -1;
        }
        int p = b.position();
        return bigEndian ? (b.get(p) & 0xFF) << 8 | (b.get(p + 1) & 0xFF) : (b.get(p) & 0xFF) | (b.get(p + 1) & 0xFF) << 8;
    }

    private static boolean explicitAt(ByteBuffer b) {
        int p = b.position();
        if (b.limit() - p < 6) {
            return true;
        }
        byte[] vr = {b.get(p + 4), b.get(p + 5)};
        return VRS.contains(new String(vr, StandardCharsets.ISO_8859_1));
    }

    private byte[] inflate(ByteBuffer buf) throws DicomFormatException {
        byte[] in = new byte[buf.remaining()];
        buf.get(in);
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(in);
            ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * 4);
            byte[] chunk = new byte[65536];
            while (!inf.finished()) {
                int n = inf.inflate(chunk);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new DicomFormatException(file + ": deflated data set cannot be inflated: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
    }

    /**
     * Reads elements until {@code end}, an item delimiter, or (for {@code onlyGroup} >= 0) another group.
     *
     * @return true when an item delimitation item ended the loop
     */
    private boolean readElements(ByteBuffer b, int end, boolean explicit, boolean inUndefinedItem, DicomDataSet into,
            int onlyGroup) throws IOException {
        boolean big = b.order() == ByteOrder.BIG_ENDIAN;
        while (b.position() < end) {
            if (end - b.position() < 8) {
                // trailing padding shorter than an element header: ignore, as other readers do
                b.position(end);
                return false;
            }
            if (onlyGroup >= 0 && peekGroup(b, big) != onlyGroup) {
                return false;
            }
            int start = b.position();
            int tag = (b.getShort() & 0xFFFF) << 16 | (b.getShort() & 0xFFFF);
            if (tag == Tags.ITEM_DELIMITATION || tag == Tags.SEQUENCE_DELIMITATION) {
                b.getInt();
                return tag == Tags.ITEM_DELIMITATION;
            }
            String vr;
            long length;
            if (explicit && tag != Tags.ITEM) {
                byte[] v = {b.get(), b.get()};
                vr = new String(v, StandardCharsets.ISO_8859_1);
                if (!VRS.contains(vr)) {
                    throw new DicomFormatException(file + ": element " + Tags.format(tag) + " at byte " + start
                            + " has an invalid value representation '" + printable(vr) + "' (wrong VR or corrupt file)");
                }
                if (LONG_VRS.contains(vr)) {
                    b.getShort();
                    length = b.getInt() & 0xFFFFFFFFL;
                } else {
                    length = b.getShort() & 0xFFFF;
                }
            } else {
                vr = Tags.IMPLICIT_VRS.getOrDefault(tag, "UN");
                length = b.getInt() & 0xFFFFFFFFL;
            }
            if (tag == Tags.PIXEL_DATA && !withPixelData && depth == 0) {
                into.put(new DicomElement(tag, vr, null, null, null));
                b.position(end);
                return false;
            }
            if (length == (UNDEFINED & 0xFFFFFFFFL)) {
                if (tag == Tags.PIXEL_DATA) {
                    into.put(new DicomElement(tag, vr, null, null, readFragments(b, end)));
                } else {
                    // SQ, or UN of undefined length, which PS3.5 6.2.2 says is implicit VR little endian
                    boolean itemsExplicit = explicit && !vr.equals("UN");
                    ByteOrder order = b.order();
                    if (vr.equals("UN")) {
                        b.order(ByteOrder.LITTLE_ENDIAN);
                    }
                    into.put(new DicomElement(tag, "SQ", null, readItems(b, end, itemsExplicit, true), null));
                    b.order(order);
                }
                continue;
            }
            if (length > end - b.position()) {
                if (tag == Tags.PIXEL_DATA) {
                    throw new DicomFormatException(file + ": pixel data is truncated: " + length + " bytes declared, "
                            + (end - b.position()) + " present");
                }
                throw new DicomFormatException(file + ": element " + Tags.format(tag) + " (" + vr + ") at byte " + start
                        + " declares " + length + " bytes but only " + (end - b.position())
                        + " remain (truncated file or wrong VR)");
            }
            int valueEnd = b.position() + (int) length;
            if (vr.equals("SQ")) {
                into.put(new DicomElement(tag, vr, null, readItems(b, valueEnd, explicit, false), null));
                b.position(valueEnd);
            } else {
                byte[] value = new byte[(int) length];
                b.get(value);
                into.put(new DicomElement(tag, vr, value, null, null));
            }
        }
        return false;
    }

    private List<DicomDataSet> readItems(ByteBuffer b, int end, boolean explicit, boolean undefined)
            throws IOException {
        depth++;
        try {
            return readItemList(b, end, explicit, undefined);
        } finally {
            depth--;
        }
    }

    private List<DicomDataSet> readItemList(ByteBuffer b, int end, boolean explicit, boolean undefined)
            throws IOException {
        List<DicomDataSet> items = new ArrayList<>();
        while (b.position() + 8 <= end) {
            int tag = (b.getShort() & 0xFFFF) << 16 | (b.getShort() & 0xFFFF);
            long len = b.getInt() & 0xFFFFFFFFL;
            if (tag == Tags.SEQUENCE_DELIMITATION) {
                return items;
            }
            if (tag != Tags.ITEM) {
                throw new DicomFormatException(file + ": expected a sequence item at byte " + (b.position() - 8)
                        + ", found " + Tags.format(tag));
            }
            DicomDataSet item = new DicomDataSet(b.order() == ByteOrder.BIG_ENDIAN);
            if (len == (UNDEFINED & 0xFFFFFFFFL)) {
                readElements(b, end, explicit, true, item, -1);
            } else {
                if (len > end - b.position()) {
                    throw new DicomFormatException(file + ": sequence item at byte " + (b.position() - 8)
                            + " declares " + len + " bytes but only " + (end - b.position()) + " remain");
                }
                int itemEnd = b.position() + (int) len;
                readElements(b, itemEnd, explicit, false, item, -1);
                b.position(itemEnd);
            }
            items.add(item);
        }
        if (undefined) {
            throw new DicomFormatException(file + ": sequence of undefined length has no end (truncated file)");
        }
        return items;
    }

    private List<byte[]> readFragments(ByteBuffer b, int end) throws IOException {
        List<byte[]> fragments = new ArrayList<>();
        while (b.position() + 8 <= end) {
            int tag = (b.getShort() & 0xFFFF) << 16 | (b.getShort() & 0xFFFF);
            long len = b.getInt() & 0xFFFFFFFFL;
            if (tag == Tags.SEQUENCE_DELIMITATION) {
                return fragments;
            }
            if (tag != Tags.ITEM) {
                throw new DicomFormatException(file + ": encapsulated pixel data: expected a fragment item at byte "
                        + (b.position() - 8) + ", found " + Tags.format(tag));
            }
            if (len > end - b.position()) {
                throw new DicomFormatException(file + ": pixel data is truncated: fragment of " + len
                        + " bytes declared, " + (end - b.position()) + " present");
            }
            byte[] f = new byte[(int) len];
            b.get(f);
            fragments.add(f);
        }
        throw new DicomFormatException(file + ": encapsulated pixel data has no sequence delimiter (truncated file)");
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }
}

package io.github.deepc.anomaly.dicom;

import java.util.Arrays;
import java.util.Optional;

/** The transfer syntaxes this reader knows, with how their data set and pixel data are encoded. */
public enum TransferSyntax {
    /** Implicit VR little endian, the DICOM default. */
    IMPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2", false, false, false, Compression.NONE),
    /** Explicit VR little endian. */
    EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1", true, false, false, Compression.NONE),
    /** Deflated explicit VR little endian (the data set after the meta group is zlib-deflated). */
    DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1.99", true, false, true, Compression.NONE),
    /** Explicit VR big endian (retired, still found in archives). */
    EXPLICIT_VR_BIG_ENDIAN("1.2.840.10008.1.2.2", true, true, false, Compression.NONE),
    /** JPEG baseline (process 1), 8-bit. */
    JPEG_BASELINE("1.2.840.10008.1.2.4.50", true, false, false, Compression.JPEG),
    /** JPEG extended (processes 2 and 4), up to 12-bit. */
    JPEG_EXTENDED("1.2.840.10008.1.2.4.51", true, false, false, Compression.JPEG),
    /** JPEG lossless, non-hierarchical (process 14). */
    JPEG_LOSSLESS_P14("1.2.840.10008.1.2.4.57", true, false, false, Compression.JPEG),
    /** JPEG lossless, process 14, first-order prediction (selection value 1). */
    JPEG_LOSSLESS_SV1("1.2.840.10008.1.2.4.70", true, false, false, Compression.JPEG),
    /** JPEG-LS lossless. */
    JPEG_LS_LOSSLESS("1.2.840.10008.1.2.4.80", true, false, false, Compression.JPEG_LS),
    /** JPEG-LS near-lossless. */
    JPEG_LS_NEAR_LOSSLESS("1.2.840.10008.1.2.4.81", true, false, false, Compression.JPEG_LS),
    /** JPEG 2000 lossless only. */
    JPEG_2000_LOSSLESS("1.2.840.10008.1.2.4.90", true, false, false, Compression.JPEG_2000),
    /** JPEG 2000. */
    JPEG_2000("1.2.840.10008.1.2.4.91", true, false, false, Compression.JPEG_2000),
    /** RLE lossless. */
    RLE_LOSSLESS("1.2.840.10008.1.2.5", true, false, false, Compression.RLE);

    /** How the pixel data of a transfer syntax is compressed. */
    public enum Compression {
        /** native (uncompressed) pixel data */
        NONE,
        /** JPEG (ISO 10918-1), decoded through ImageIO */
        JPEG,
        /** JPEG-LS: no maintained Java decoder on Maven Central, refused with a clear error */
        JPEG_LS,
        /** JPEG 2000: no maintained Java decoder on Maven Central, refused with a clear error */
        JPEG_2000,
        /** DICOM RLE (PS3.5 annex G) */
        RLE
    }

    private final String uid;
    private final boolean explicitVr;
    private final boolean bigEndian;
    private final boolean deflated;
    private final Compression compression;

    TransferSyntax(String uid, boolean explicitVr, boolean bigEndian, boolean deflated, Compression compression) {
        this.uid = uid;
        this.explicitVr = explicitVr;
        this.bigEndian = bigEndian;
        this.deflated = deflated;
        this.compression = compression;
    }

    /**
     * @param uid a transfer syntax UID (trailing NUL or blanks ignored)
     * @return the syntax, empty when this reader does not know it
     */
    public static Optional<TransferSyntax> of(String uid) {
        String u = uid.trim();
        return Arrays.stream(values()).filter(t -> t.uid.equals(u)).findFirst();
    }

    /** @return the UID */
    public String uid() {
        return uid;
    }

    /** @return whether elements carry their VR */
    public boolean explicitVr() {
        return explicitVr;
    }

    /** @return whether the data set is big endian */
    public boolean bigEndian() {
        return bigEndian;
    }

    /** @return whether the data set is deflated */
    public boolean deflated() {
        return deflated;
    }

    /** @return how the pixel data is compressed */
    public Compression compression() {
        return compression;
    }

    /** @return whether the pixel data is encapsulated in fragments */
    public boolean encapsulated() {
        return compression != Compression.NONE;
    }
}

package io.github.deepc.anomaly.dicom;

import java.util.List;

/**
 * One parsed data element. Exactly one of {@code value}, {@code items} and {@code fragments} is used:
 * plain values, sequence items, or the fragments of encapsulated pixel data (the basic offset table first).
 *
 * @param tag       {@code (group << 16) | element}
 * @param vr        the value representation (from the file, or from {@link Tags#IMPLICIT_VRS}, else "UN")
 * @param value     the raw value bytes, or {@code null}
 * @param items     sequence items, or {@code null}
 * @param fragments encapsulated pixel data fragments, or {@code null}
 */
record DicomElement(int tag, String vr, byte[] value, List<DicomDataSet> items, List<byte[]> fragments) {
}

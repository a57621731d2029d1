package io.github.deepc.anomaly.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** A parsed DICOM data set (or sequence item) with typed access to the values this module reads. */
final class DicomDataSet {
    private final Map<Integer, DicomElement> elements = new LinkedHashMap<>();
    private final boolean bigEndian;

    DicomDataSet(boolean bigEndian) {
        this.bigEndian = bigEndian;
    }

    void put(DicomElement e) {
        elements.put(e.tag(), e);
    }

    boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    DicomElement get(int tag) {
        return elements.get(tag);
    }

    boolean bigEndian() {
        return bigEndian;
    }

    /** @return the first value of a text element, trimmed of padding; empty when absent or blank */
    Optional<String> string(int tag) {
        List<String> all = strings(tag);
        return all.isEmpty() || all.get(0).isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** @return all values of a backslash-separated text element, each trimmed */
    List<String> strings(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.value() == null || e.value().length == 0) {
            return List.of();
        }
        String s = new String(e.value(), StandardCharsets.ISO_8859_1);
        List<String> out = new ArrayList<>();
        for (String part : s.split("\\\\", -1)) {
            out.add(part.replace('\0', ' ').trim());
        }
        return out;
    }

    /** @return the first value of an integer element (binary US/SS/UL/SL or text IS) */
    OptionalInt integer(int tag) {
        int[] all = integers(tag);
        return all.length == 0 ? OptionalInt.empty() : OptionalInt.of(all[0]);
    }

    /** @return all values of an integer element */
    int[] integers(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.value() == null) {
            return new int[0];
        }
        String vr = binaryVr(e);
        if (vr.equals("OW")) {
            vr = "US"; // LUT Data: 16-bit words
        }
        ByteBuffer b = ByteBuffer.wrap(e.value()).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        switch (vr) {
            case "US": {
                int[] v = new int[e.value().length / 2];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.getShort() & 0xFFFF;
                }
                return v;
            }
            case "SS": {
                int[] v = new int[e.value().length / 2];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.getShort();
                }
                return v;
            }
            case "UL":
            case "SL": {
                int[] v = new int[e.value().length / 4];
                for (int i = 0; i < v.length; i++) {
                    v[i] = b.getInt();
                }
                return v;
            }
            default: {
                return java.util.Arrays.stream(decimals(tag)).mapToInt(d -> (int) Math.round(d)).toArray();
            }
        }
    }

    /** @return the first value of a decimal element (DS text, or FL/FD) */
    OptionalDouble decimal(int tag) {
        double[] all = decimals(tag);
        return all.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(all[0]);
    }

    /** @return all values of a decimal element */
    double[] decimals(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null || e.value() == null) {
            return new double[0];
        }
        ByteBuffer b = ByteBuffer.wrap(e.value()).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        if (e.vr().equals("FD")) {
            double[] v = new double[e.value().length / 8];
            for (int i = 0; i < v.length; i++) {
                v[i] = b.getDouble();
            }
            return v;
        }
        if (e.vr().equals("FL")) {
            double[] v = new double[e.value().length / 4];
            for (int i = 0; i < v.length; i++) {
                v[i] = b.getFloat();
            }
            return v;
        }
        List<String> text = strings(tag);
        double[] v = new double[text.size()];
        int n = 0;
        for (String x : text) {
            if (!x.isEmpty()) {
                try {
                    v[n++] = Double.parseDouble(x);
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("element " + Tags.format(tag) + " (" + e.vr() + ") holds '" + x
                            + "', not a number (wrong VR or corrupt value)", ex);
                }
            }
        }
        return java.util.Arrays.copyOf(v, n);
    }

    /** @return the items of a sequence element, empty when absent */
    List<DicomDataSet> items(int tag) {
        DicomElement e = elements.get(tag);
        return e == null || e.items() == null ? List.of() : e.items();
    }

    /** Explicit binary VRs stay; an element read as UN (or implicit) takes the VR of the dictionary. */
    private static String binaryVr(DicomElement e) {
        if (e.vr().equals("UN") || e.vr().equals("OB") || e.vr().equals("OW")) {
            return Tags.IMPLICIT_VRS.getOrDefault(e.tag(), e.vr());
        }
        return e.vr();
    }
}

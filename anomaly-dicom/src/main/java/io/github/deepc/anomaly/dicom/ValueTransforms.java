package io.github.deepc.anomaly.dicom;

import java.util.List;

/**
 * The grey-scale pipeline of PS3.3 C.11: modality LUT, VOI LUT or window, MONOCHROME1 inversion. The
 * formulas, output ranges and precedence (a Modality LUT Sequence before rescale, a VOI LUT Sequence before
 * the window) follow pydicom's {@code apply_modality_lut} / {@code apply_voi_lut}, which the conformance
 * tests compare against.
 */
final class ValueTransforms {
    private final DicomFile file;
    private final PixelModule pm;

    ValueTransforms(DicomFile file, PixelModule pm) {
        this.file = file;
        this.pm = pm;
    }

    /** @return {lowest, highest} stored value the bits can hold */
    private double[] storedRange() {
        return pm.signed() ? new double[] {-Math.pow(2, pm.bitsStored() - 1), Math.pow(2, pm.bitsStored() - 1) - 1}
                : new double[] {0, Math.pow(2, pm.bitsStored()) - 1};
    }

    /**
     * Applies the modality LUT in place.
     *
     * @return the output range {lo, hi} of the modality transform
     */
    double[] modality(double[] v) throws DicomFormatException {
        DicomDataSet d = file.data();
        List<DicomDataSet> lutSeq = d.items(Tags.MODALITY_LUT_SEQUENCE);
        if (!lutSeq.isEmpty() && lutSeq.get(0).contains(Tags.LUT_DATA)) {
            Lut lut = Lut.of(lutSeq.get(0), file, "Modality LUT Sequence");
            for (int i = 0; i < v.length; i++) {
                v[i] = lut.apply(v[i]);
            }
            return new double[] {0, Math.pow(2, lut.bits) - 1};
        }
        double[] range = storedRange();
        if (d.contains(Tags.RESCALE_SLOPE) && d.contains(Tags.RESCALE_INTERCEPT)) {
            double slope = d.decimal(Tags.RESCALE_SLOPE).orElse(1);
            double intercept = d.decimal(Tags.RESCALE_INTERCEPT).orElse(0);
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] * slope + intercept;
            }
            double a = range[0] * slope + intercept;
            double b = range[1] * slope + intercept;
            return new double[] {Math.min(a, b), Math.max(a, b)};
        }
        return range;
    }

    /**
     * Applies the first VOI LUT, or else the first window, in place.
     *
     * @return the output range, or {@code null} when the file has neither (values untouched)
     */
    double[] voi(double[] v) throws DicomFormatException {
        DicomDataSet d = file.data();
        List<DicomDataSet> voiSeq = d.items(Tags.VOI_LUT_SEQUENCE);
        if (!voiSeq.isEmpty() && voiSeq.get(0).contains(Tags.LUT_DATA)) {
            Lut lut = Lut.of(voiSeq.get(0), file, "VOI LUT Sequence");
            for (int i = 0; i < v.length; i++) {
                v[i] = lut.apply(v[i]);
            }
            return new double[] {0, Math.pow(2, lut.bits) - 1};
        }
        double[] centers = d.decimals(Tags.WINDOW_CENTER);
        double[] widths = d.decimals(Tags.WINDOW_WIDTH);
        if (centers.length == 0 || widths.length == 0) {
            return null;
        }
        double c = centers[0];
        double w = widths[0];
        double yMin;
        double yMax;
        List<DicomDataSet> mlut = d.items(Tags.MODALITY_LUT_SEQUENCE);
        if (!mlut.isEmpty() && mlut.get(0).contains(Tags.LUT_DATA)) {
            yMin = 0;
            yMax = Math.pow(2, Lut.of(mlut.get(0), file, "Modality LUT Sequence").bits) - 1;
        } else {
            double[] r = storedRange();
            yMin = r[0];
            yMax = r[1];
            if (d.contains(Tags.RESCALE_SLOPE) && d.contains(Tags.RESCALE_INTERCEPT)) {
                double slope = d.decimal(Tags.RESCALE_SLOPE).orElse(1);
                double intercept = d.decimal(Tags.RESCALE_INTERCEPT).orElse(0);
                yMin = yMin * slope + intercept;
                yMax = yMax * slope + intercept;
            }
        }
        double yRange = yMax - yMin;
        String function = d.string(Tags.VOI_LUT_FUNCTION).orElse("LINEAR").toUpperCase(java.util.Locale.ROOT);
        switch (function) {
            case "LINEAR":
            case "LINEAR_EXACT": {
                if (function.equals("LINEAR")) {
                    if (w < 1) {
                        throw new DicomFormatException(file.path() + ": Window Width " + w + " must be >= 1 for LINEAR");
                    }
                    c -= 0.5;
                    w -= 1;
                } else if (w <= 0) {
                    throw new DicomFormatException(file.path() + ": Window Width " + w + " must be > 0 for LINEAR_EXACT");
                }
                for (int i = 0; i < v.length; i++) {
                    if (v[i] <= c - w / 2) {
                        v[i] = yMin;
                    } else if (v[i] > c + w / 2) {
                        v[i] = yMax;
                    } else {
                        v[i] = ((v[i] - c) / w + 0.5) * yRange + yMin;
                    }
                }
                break;
            }
            case "SIGMOID":
                if (w <= 0) {
                    throw new DicomFormatException(file.path() + ": Window Width " + w + " must be > 0 for SIGMOID");
                }
                for (int i = 0; i < v.length; i++) {
                    v[i] = yRange / (1 + Math.exp(-4 * (v[i] - c) / w)) + yMin;
                }
                break;
            default:
                throw new DicomFormatException(file.path() + ": VOI LUT Function '" + function
                        + "' is not supported (expected LINEAR, LINEAR_EXACT or SIGMOID)");
        }
        return new double[] {Math.min(yMin, yMax), Math.max(yMin, yMax)};
    }

    /** A lookup table (PS3.3 C.11.1.1): descriptor {entries (0 = 65536), first mapped value, bits} and data. */
    private record Lut(int entries, int firstMapped, int bits, int[] data) {
        static Lut of(DicomDataSet item, DicomFile f, String what) throws DicomFormatException {
            int[] desc = item.integers(Tags.LUT_DESCRIPTOR);
            if (desc.length < 3) {
                throw new DicomFormatException(f.path() + ": " + what + " has no valid LUT Descriptor");
            }
            int entries = desc[0] == 0 ? 65536 : desc[0];
            int[] data = item.integers(Tags.LUT_DATA);
            if (data.length < entries) {
                // 8-bit LUT data may come packed two per word
                throw new DicomFormatException(f.path() + ": " + what + " has " + data.length + " LUT entries, the"
                        + " descriptor says " + entries);
            }
            return new Lut(entries, desc[1], desc[2], data);
        }

        double apply(double x) {
            int i = (int) Math.max(0, Math.min(entries - 1, x - firstMapped));
            return data[i];
        }
    }
}

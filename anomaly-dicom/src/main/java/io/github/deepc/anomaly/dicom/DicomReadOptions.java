package io.github.deepc.anomaly.dicom;

/**
 * How stored pixel values become image values. The modality LUT (Rescale Slope/Intercept or a Modality LUT
 * Sequence) is always applied, so values are in the modality's units.
 *
 * @param applyVoi          apply the VOI LUT or the first Window Center/Width when the file has one (output
 *                          range 0..2^BitsStored-1 as in pydicom's {@code apply_voi_lut}); false keeps the full range
 * @param invertMonochrome1 map MONOCHROME1 (bright = low values) onto MONOCHROME2 by mirroring the output
 *                          range, so that bone is bright in every image
 */
public record DicomReadOptions(boolean applyVoi, boolean invertMonochrome1) {
    /** Window/VOI LUT when present, MONOCHROME1 inverted: what a viewer shows. */
    public static final DicomReadOptions DEFAULT = new DicomReadOptions(true, true);
    /** Full range (VOI ignored), MONOCHROME1 inverted. */
    public static final DicomReadOptions FULL_RANGE = new DicomReadOptions(false, true);
    /** Modality values only, as pydicom's {@code apply_modality_lut(ds.pixel_array, ds)}. */
    public static final DicomReadOptions MODALITY_VALUES = new DicomReadOptions(false, false);

    /**
     * The options the {@link DicomImageDecoder} uses, from the system property {@code anomaly.dicom.window}:
     * {@code voi} (default) or {@code full}. Read, never set, by the library.
     *
     * @return the options
     * @throws IllegalArgumentException naming the property and its allowed values when it has another value
     */
    public static DicomReadOptions fromSystemProperty() {
        String v = System.getProperty("anomaly.dicom.window", "voi");
        switch (v) {
            case "voi":
                return DEFAULT;
            case "full":
                return FULL_RANGE;
            default:
                throw new IllegalArgumentException("system property anomaly.dicom.window='" + v
                        + "': expected voi or full");
        }
    }
}

package io.github.deepc.anomaly.dicom;

import java.util.Map;

/**
 * The few DICOM tags this module reads, as {@code (group << 16) | element}, with their value representations
 * for implicit-VR files (which do not carry them). Deliberately not a full data dictionary: the reader needs
 * only the image pixel module, the modality and VOI LUT modules and the identifiers used for grouping.
 */
final class Tags {
    static final int TRANSFER_SYNTAX_UID = 0x00020010;
    static final int MEDIA_STORAGE_SOP_CLASS_UID = 0x00020002;
    static final int DIRECTORY_RECORD_SEQUENCE = 0x00041220;
    static final int DIRECTORY_RECORD_TYPE = 0x00041430;
    static final int REFERENCED_FILE_ID = 0x00041500;
    static final int SOP_CLASS_UID = 0x00080016;
    static final int SOP_INSTANCE_UID = 0x00080018;
    static final int MODALITY = 0x00080060;
    static final int PATIENT_ID = 0x00100020;
    static final int BODY_PART_EXAMINED = 0x00180015;
    static final int VIEW_POSITION = 0x00185101;
    static final int STUDY_INSTANCE_UID = 0x0020000D;
    static final int SAMPLES_PER_PIXEL = 0x00280002;
    static final int PHOTOMETRIC_INTERPRETATION = 0x00280004;
    static final int PLANAR_CONFIGURATION = 0x00280006;
    static final int NUMBER_OF_FRAMES = 0x00280008;
    static final int ROWS = 0x00280010;
    static final int COLUMNS = 0x00280011;
    static final int BITS_ALLOCATED = 0x00280100;
    static final int BITS_STORED = 0x00280101;
    static final int HIGH_BIT = 0x00280102;
    static final int PIXEL_REPRESENTATION = 0x00280103;
    static final int WINDOW_CENTER = 0x00281050;
    static final int WINDOW_WIDTH = 0x00281051;
    static final int RESCALE_INTERCEPT = 0x00281052;
    static final int RESCALE_SLOPE = 0x00281053;
    static final int VOI_LUT_FUNCTION = 0x00281056;
    static final int MODALITY_LUT_SEQUENCE = 0x00283000;
    static final int LUT_DESCRIPTOR = 0x00283002;
    static final int LUT_DATA = 0x00283006;
    static final int VOI_LUT_SEQUENCE = 0x00283010;
    static final int FLOAT_PIXEL_DATA = 0x7FE00008;
    static final int DOUBLE_PIXEL_DATA = 0x7FE00009;
    static final int PIXEL_DATA = 0x7FE00010;
    static final int ITEM = 0xFFFEE000;
    static final int ITEM_DELIMITATION = 0xFFFEE00D;
    static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

    /** Value representations of the tags read here, for implicit VR data sets. */
    static final Map<Integer, String> IMPLICIT_VRS = Map.ofEntries(
            Map.entry(TRANSFER_SYNTAX_UID, "UI"), Map.entry(MEDIA_STORAGE_SOP_CLASS_UID, "UI"),
            Map.entry(DIRECTORY_RECORD_SEQUENCE, "SQ"), Map.entry(DIRECTORY_RECORD_TYPE, "CS"),
            Map.entry(REFERENCED_FILE_ID, "CS"), Map.entry(SOP_CLASS_UID, "UI"), Map.entry(SOP_INSTANCE_UID, "UI"),
            Map.entry(MODALITY, "CS"), Map.entry(PATIENT_ID, "LO"), Map.entry(BODY_PART_EXAMINED, "CS"),
            Map.entry(VIEW_POSITION, "CS"), Map.entry(STUDY_INSTANCE_UID, "UI"), Map.entry(SAMPLES_PER_PIXEL, "US"),
            Map.entry(PHOTOMETRIC_INTERPRETATION, "CS"), Map.entry(PLANAR_CONFIGURATION, "US"),
            Map.entry(NUMBER_OF_FRAMES, "IS"), Map.entry(ROWS, "US"), Map.entry(COLUMNS, "US"),
            Map.entry(BITS_ALLOCATED, "US"), Map.entry(BITS_STORED, "US"), Map.entry(HIGH_BIT, "US"),
            Map.entry(PIXEL_REPRESENTATION, "US"), Map.entry(WINDOW_CENTER, "DS"), Map.entry(WINDOW_WIDTH, "DS"),
            Map.entry(RESCALE_INTERCEPT, "DS"), Map.entry(RESCALE_SLOPE, "DS"), Map.entry(VOI_LUT_FUNCTION, "CS"),
            Map.entry(MODALITY_LUT_SEQUENCE, "SQ"), Map.entry(LUT_DESCRIPTOR, "US"), Map.entry(LUT_DATA, "OW"),
            Map.entry(VOI_LUT_SEQUENCE, "SQ"), Map.entry(PIXEL_DATA, "OW"));

    private Tags() {
    }

    static String format(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }
}

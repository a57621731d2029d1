package io.github.deepc.anomaly.dicom;

import java.nio.file.Path;

/**
 * What a DICOM file says about itself, for grouping, filtering and labels. {@link #toString()} leaves out the
 * patient id so that a header can be logged.
 *
 * @param path              the file
 * @param sopClassUid       SOP Class UID ("" when absent)
 * @param sopInstanceUid    SOP Instance UID ("" when absent)
 * @param transferSyntaxUid the transfer syntax UID
 * @param modality          Modality, e.g. CR or DX ("" when absent)
 * @param bodyPart          Body Part Examined, e.g. HAND or CHEST ("" when absent)
 * @param viewPosition      View Position, e.g. PA ("" when absent)
 * @param patientId         Patient ID ("" when absent): identifying, never log it
 * @param studyInstanceUid  Study Instance UID ("" when absent)
 * @param hasPixelData      whether the object holds an image
 * @param frames            Number of Frames (1 when absent)
 */
public record DicomHeader(Path path, String sopClassUid, String sopInstanceUid, String transferSyntaxUid,
        String modality, String bodyPart, String viewPosition, String patientId, String studyInstanceUid,
        boolean hasPixelData, int frames) {

    static DicomHeader of(DicomFile f) {
        DicomDataSet d = f.data();
        String sopClass = d.string(Tags.SOP_CLASS_UID).orElse(f.meta().string(Tags.MEDIA_STORAGE_SOP_CLASS_UID).orElse(""));
        return new DicomHeader(f.path(), sopClass, d.string(Tags.SOP_INSTANCE_UID).orElse(""), f.syntaxUid(),
                d.string(Tags.MODALITY).orElse(""), d.string(Tags.BODY_PART_EXAMINED).orElse(""),
                d.string(Tags.VIEW_POSITION).orElse(""), d.string(Tags.PATIENT_ID).orElse(""),
                d.string(Tags.STUDY_INSTANCE_UID).orElse(""), d.contains(Tags.PIXEL_DATA),
                Math.max(1, d.integer(Tags.NUMBER_OF_FRAMES).orElse(1)));
    }

    /** @return the patient for grouping: Patient ID, else Study Instance UID, else "" */
    public String groupingId() {
        return !patientId.isEmpty() ? patientId : studyInstanceUid;
    }

    @Override
    public String toString() {
        return "DicomHeader[" + path + ", modality=" + modality + ", bodyPart=" + bodyPart + ", view=" + viewPosition
                + ", frames=" + frames + ", syntax=" + transferSyntaxUid + "]";
    }
}

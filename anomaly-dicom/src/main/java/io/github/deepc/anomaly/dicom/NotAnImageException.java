package io.github.deepc.anomaly.dicom;

/**
 * A valid DICOM object that holds no image (a report, structured report, presentation state, DICOMDIR...):
 * loaders skip it with a note instead of failing.
 */
public final class NotAnImageException extends DicomFormatException {
    private static final long serialVersionUID = 1L;

    /** @param message what the object is, naming the file */
    public NotAnImageException(String message) {
        super(message);
    }
}

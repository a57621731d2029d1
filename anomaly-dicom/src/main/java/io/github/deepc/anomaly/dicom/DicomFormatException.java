package io.github.deepc.anomaly.dicom;

import java.io.IOException;

/** A DICOM file that cannot be read: the message names the file and what is wrong with it. */
public class DicomFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the file */
    public DicomFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file
     * @param cause   the underlying failure
     */
    public DicomFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.github.deepc.anomaly.dicom;

import java.nio.file.Path;

/**
 * A parsed Part 10 file.
 *
 * @param path      where it was read from (for messages)
 * @param meta      the file meta information (group 0002), empty for files written without it
 * @param data      the data set
 * @param syntaxUid the transfer syntax UID as written (or the one guessed for files without meta information)
 * @param syntax    the transfer syntax, {@code null} when this reader does not know {@code syntaxUid}
 */
record DicomFile(Path path, DicomDataSet meta, DicomDataSet data, String syntaxUid, TransferSyntax syntax) {
}

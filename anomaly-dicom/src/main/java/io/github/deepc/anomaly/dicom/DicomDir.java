package io.github.deepc.anomaly.dicom;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the files a DICOMDIR (PS3.10 media directory) references. */
public final class DicomDir {
    private DicomDir() {
    }

    /**
     * @param dicomDir a DICOMDIR file
     * @return the files its records reference (Referenced File ID resolved against its folder), in record order
     * @throws IOException naming the file when it is not a readable DICOMDIR
     */
    public static List<Path> referencedFiles(Path dicomDir) throws IOException {
        DicomFile f = DicomParser.parse(dicomDir, true);
        Path base = dicomDir.toAbsolutePath().getParent();
        List<Path> out = new ArrayList<>();
        for (DicomDataSet record : f.data().items(Tags.DIRECTORY_RECORD_SEQUENCE)) {
            List<String> parts = record.strings(Tags.REFERENCED_FILE_ID);
            if (parts.isEmpty() || parts.get(0).isEmpty()) {
                continue; // patient, study and series records reference no file
            }
            Path p = base;
            for (String part : parts) {
                p = p.resolve(part);
            }
            out.add(p);
        }
        if (!f.data().contains(Tags.DIRECTORY_RECORD_SEQUENCE)) {
            throw new DicomFormatException(dicomDir + ": not a DICOMDIR (no Directory Record Sequence (0004,1220))");
        }
        return out;
    }
}

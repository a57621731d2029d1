package io.github.deepc.anomaly.core.data;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ready-made {@link PatientIdExtractor}s for the naming schemes of common radiograph data sets. */
public final class PatientIds {
    private static final Pattern IM_SCHEME = Pattern.compile("(?:^|-)IM-(\\d+)-\\d+");
    private static final Pattern PERSON_SCHEME = Pattern.compile("^(person\\d+)_");
    /** NIH ChestX-ray14: eight-digit patient, underscore, three-digit follow-up, e.g. {@code 00001281_000.jpg}. */
    private static final Pattern NIH_SCHEME = Pattern.compile("^(\\d{8})_\\d{3}\\.[^.]+$");
    private static final Pattern MURA_PATIENT = Pattern.compile("^patient(\\d+)$");

    private PatientIds() {
    }

    /**
     * Patient ids from file names: {@code IM-0115-0001.jpeg} and {@code NORMAL2-IM-1427-0001.jpeg} give
     * {@code 0115} and {@code 1427}; {@code person1000_bacteria_2931.jpeg} gives {@code person1000}; NIH
     * ChestX-ray14's {@code 00001281_000.jpg} (patient, follow-up) gives {@code 00001281}; any other
     * name is its own patient (the file name without extension), so that nothing is grouped by accident.
     *
     * @return the extractor
     */
    public static PatientIdExtractor fromFileName() {
        return (root, file) -> fromFileName(file.getFileName().toString());
    }

    /**
     * @param fileName a file name
     * @return the patient id encoded in it (see {@link #fromFileName()})
     */
    public static String fromFileName(String fileName) {
        Matcher m = IM_SCHEME.matcher(fileName);
        if (m.find()) {
            return m.group(1);
        }
        m = PERSON_SCHEME.matcher(fileName);
        if (m.find()) {
            return m.group(1);
        }
        m = NIH_SCHEME.matcher(fileName);
        if (m.matches()) {
            return m.group(1);
        }
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    /**
     * Patient ids from the MURA folder layout: the nearest ancestor folder named {@code patient<ID>} gives
     * {@code <ID>}; without one, falls back to {@link #fromFileName()}.
     *
     * @return the extractor
     */
    public static PatientIdExtractor fromMuraPath() {
        return (root, file) -> {
            for (Path p = file.getParent(); p != null && !p.equals(root); p = p.getParent()) {
                Matcher m = MURA_PATIENT.matcher(p.getFileName().toString());
                if (m.matches()) {
                    return m.group(1);
                }
            }
            return fromFileName(file.getFileName().toString());
        };
    }
}

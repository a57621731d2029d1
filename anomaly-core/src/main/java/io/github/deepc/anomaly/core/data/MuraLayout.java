package io.github.deepc.anomaly.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Loads the MURA layout {@code ROOT/{train,valid}/XR_<PART>/patient<ID>/study<K>_{positive,negative}/image<N>.png}.
 * Studies ending in {@code _negative} are normal, {@code _positive} abnormal; patient ids come from the
 * {@code patient<ID>} folders. MURA itself cannot be redistributed: point this at your own copy.
 */
public final class MuraLayout {
    private final String split;
    private final Optional<String> bodyPart;

    /**
     * @param split    {@code train} or {@code valid}
     * @param bodyPart a body part such as {@code HAND} (matches {@code XR_HAND}), or empty for all parts
     */
    public MuraLayout(String split, Optional<String> bodyPart) {
        if (!split.equals("train") && !split.equals("valid")) {
            throw new IllegalArgumentException("MURA split must be 'train' or 'valid', got '" + split + "'");
        }
        this.split = split;
        this.bodyPart = bodyPart.map(p -> p.toUpperCase(Locale.ROOT).replaceFirst("^XR_", ""));
    }

    /**
     * @param root MURA root (the folder holding {@code train/} and {@code valid/}, or one of them)
     * @return the data set; the class name of each sample is its body-part folder
     * @throws IllegalArgumentException when the split folder is missing
     */
    public DataSet load(Path root) {
        Path splitDir = root.getFileName() != null && root.getFileName().toString().equals(split) ? root : root.resolve(split);
        DataSetLoader.requireDirectory(splitDir, "MURA split folder");
        PatientIdExtractor patients = PatientIds.fromMuraPath();
        List<Sample> samples = new ArrayList<>();
        for (Path partDir : DataSetLoader.subfolders(splitDir)) {
            String part = partDir.getFileName().toString();
            if (!part.startsWith("XR_") || bodyPart.map(b -> !part.equals("XR_" + b)).orElse(false)) {
                continue;
            }
            for (Path file : DataSetLoader.images(partDir, true)) {
                Label label = studyLabel(file);
                samples.add(new Sample(DataSetLoader.relativeId(root, file), file, patients.patientId(root, file), part, label));
            }
        }
        return new DataSet(root, samples);
    }

    /** @return whether {@code dir} looks like a MURA root or split folder */
    static boolean looksLikeMura(Path dir) {
        for (String s : List.of("train", "valid")) {
            Path d = dir.getFileName() != null && dir.getFileName().toString().equals(s) ? dir : dir.resolve(s);
            if (Files.isDirectory(d) && DataSetLoader.subfolders(d).stream()
                    .anyMatch(p -> p.getFileName().toString().startsWith("XR_"))) {
                return true;
            }
        }
        return false;
    }

    private static Label studyLabel(Path file) {
        for (Path p = file.getParent(); p != null; p = p.getParent()) {
            String n = p.getFileName() == null ? "" : p.getFileName().toString();
            if (n.endsWith("_positive")) {
                return Label.ABNORMAL;
            }
            if (n.endsWith("_negative")) {
                return Label.NORMAL;
            }
        }
        return Label.UNKNOWN;
    }
}

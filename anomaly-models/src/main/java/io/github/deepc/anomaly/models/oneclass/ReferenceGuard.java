package io.github.deepc.anomaly.models.oneclass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Refuses a {@code deep-one-class} reference folder that overlaps the data being evaluated. The reference set
 * supplies "other" images for the descriptiveness loss; if it held the abnormal class being evaluated (e.g.
 * {@code chest-xray/train/PNEUMONIA} while evaluating NORMAL vs PNEUMONIA), the model would be trained on the
 * anomalies and the evaluation would be meaningless. A model only receives images, not their paths, so the caller
 * names the training data root in {@code exclude-root}; the reference folder must not equal it, lie inside it or
 * contain it. Paths are compared absolute and normalised, and additionally with symbolic links resolved when both
 * exist.
 */
final class ReferenceGuard {
    private ReferenceGuard() {
    }

    /**
     * @param reference   the {@code reference} parameter: {@link ReferenceSet#PHANTOMS} or a folder
     * @param excludeRoot the {@code exclude-root} parameter, empty when unknown
     * @throws IllegalArgumentException when the reference is empty or a folder overlapping {@code excludeRoot}
     */
    static void check(String reference, String excludeRoot) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("parameter deep-one-class.reference is empty; give a class-folder path"
                    + " or '" + ReferenceSet.PHANTOMS + "'");
        }
        if (reference.equals(ReferenceSet.PHANTOMS) || excludeRoot == null || excludeRoot.isBlank()) {
            return;
        }
        Path ref = path(reference, "reference");
        Path root = path(excludeRoot, "exclude-root");
        if (overlaps(ref, root) || overlaps(real(ref), real(root))) {
            throw new IllegalArgumentException("parameter deep-one-class.reference=" + ref + " is the same as, inside or"
                    + " above exclude-root=" + root + " (the root of the data being trained and evaluated): the reference"
                    + " set must never contain the evaluated images, abnormal ones included; choose a reference folder"
                    + " outside it, or reference=" + ReferenceSet.PHANTOMS);
        }
    }

    private static Path path(String raw, String name) {
        try {
            return Path.of(raw.trim()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("parameter deep-one-class." + name + "='" + raw + "' is not a valid path",
                    e);
        }
    }

    private static Path real(Path p) {
        try {
            return Files.exists(p) ? p.toRealPath() : p;
        } catch (IOException e) {
            return p;
        }
    }

    private static boolean overlaps(Path a, Path b) {
        return a.startsWith(b) || b.startsWith(a);
    }
}

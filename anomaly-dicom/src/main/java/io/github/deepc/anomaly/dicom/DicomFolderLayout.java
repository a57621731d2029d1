package io.github.deepc.anomaly.dicom;

import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.ItemFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a folder of DICOM files as a {@link DataSet}: every file below the root whose content is DICOM (any
 * name, no extension needed), or the files a {@code DICOMDIR} references. Patients come from the tags (Patient
 * ID, else Study Instance UID), so patient-grouped splits need no file-name conventions; labels come from a CSV
 * ({@code path or SOP Instance UID,label}) or from class folders as in {@link io.github.deepc.anomaly.core.data.ClassFolderLayout}.
 *
 * <p>Objects without an image (reports, presentation states...) are skipped with a note, unreadable files are
 * reported as failures; neither stops the load. Logs name files by path only, never by patient data.
 */
public final class DicomFolderLayout {
    private static final Logger LOG = LoggerFactory.getLogger(DicomFolderLayout.class);
    /** CR, DX, mammography and intra-oral storage classes: without pixel data such a file is broken, not a note. */
    private static final Set<String> X_RAY_IMAGE_CLASSES = Stream.of("1", "1.1", "1.1.1", "1.2", "1.2.1", "1.3", "1.3.1")
            .map(s -> "1.2.840.10008.5.1.4.1.1." + s).collect(Collectors.toUnmodifiableSet());

    private final String normalClass;
    private final Path labelsCsv;
    private final Set<String> modalities;
    private final Set<String> bodyParts;
    private final Set<String> viewPositions;
    private final boolean useDicomDir;
    private final Pseudonymizer pseudonymizer;
    private final boolean allFrames;

    private DicomFolderLayout(Builder b) {
        this.allFrames = b.allFrames;
        this.normalClass = b.normalClass;
        this.labelsCsv = b.labelsCsv;
        this.modalities = upper(b.modalities);
        this.bodyParts = upper(b.bodyParts);
        this.viewPositions = upper(b.viewPositions);
        this.useDicomDir = b.useDicomDir;
        this.pseudonymizer = b.pseudonymizer;
    }

    private static Set<String> upper(Set<String> s) {
        return s.stream().map(x -> x.trim().toUpperCase(Locale.ROOT)).filter(x -> !x.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * @param normalClass the class folder or CSV label of normal images (case-insensitive; "0" and "normal" too)
     * @return a builder
     */
    public static Builder builder(String normalClass) {
        return new Builder(normalClass);
    }

    /**
     * What a load found.
     *
     * @param dataSet  the images that passed the filters
     * @param skipped  objects that are not images, with the reason (not errors)
     * @param failures unreadable files, with the reason
     * @param filteredOut images left out by the Modality / Body Part / View Position filters
     */
    public record Result(DataSet dataSet, List<ItemFailure> skipped, List<ItemFailure> failures, int filteredOut) {
    }

    /**
     * @param root a folder holding DICOM files at any depth
     * @return the data set and notes
     * @throws IllegalArgumentException when the root or the labels CSV is missing or malformed
     */
    public Result load(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("DICOM data folder is not a folder: " + root.toAbsolutePath());
        }
        Map<String, String> labels = labelsCsv == null ? null : readLabels(labelsCsv);
        List<Path> files = candidates(root);
        List<Sample> samples = new ArrayList<>();
        List<ItemFailure> skipped = new ArrayList<>();
        List<ItemFailure> failures = new ArrayList<>();
        Set<String> usedLabels = new LinkedHashSet<>();
        int filtered = 0;
        for (Path file : files) {
            String rel = root.relativize(file).toString().replace('\\', '/');
            DicomHeader h;
            try {
                if (!DicomImageReader.isDicom(file)) {
                    continue; // other files beside the DICOM ones (readme, thumbnails...)
                }
                h = DicomImageReader.readHeader(file);
            } catch (IOException e) {
                failures.add(new ItemFailure(rel, e.getMessage()));
                continue;
            }
            if (!h.hasPixelData() && X_RAY_IMAGE_CLASSES.contains(h.sopClassUid())) {
                failures.add(new ItemFailure(rel, file + ": X-ray image object (SOP class " + h.sopClassUid()
                        + ") without pixel data (truncated file?)"));
                continue;
            }
            Optional<String> nonImage = nonImageReason(h);
            if (nonImage.isPresent()) {
                skipped.add(new ItemFailure(rel, nonImage.get()));
                continue;
            }
            if (!matches(modalities, h.modality()) || !matches(bodyParts, h.bodyPart())
                    || !matches(viewPositions, h.viewPosition())) {
                filtered++;
                continue;
            }
            String cls;
            Label label;
            if (labels != null) {
                String raw = labels.get(rel);
                if (raw == null) {
                    raw = labels.get(file.toAbsolutePath().normalize().toString());
                }
                if (raw == null && !h.sopInstanceUid().isEmpty()) {
                    raw = labels.get(h.sopInstanceUid());
                }
                if (raw != null) {
                    usedLabels.add(raw);
                }
                cls = raw == null ? "" : raw;
                label = raw == null ? Label.UNKNOWN : labelOf(raw);
            } else {
                int slash = rel.indexOf('/');
                cls = slash < 0 ? "" : rel.substring(0, slash);
                label = cls.isEmpty() ? Label.UNKNOWN : cls.equalsIgnoreCase(normalClass) ? Label.NORMAL : Label.ABNORMAL;
            }
            String patient = h.groupingId().isEmpty() ? rel : h.groupingId();
            if (pseudonymizer != null) {
                patient = pseudonymizer.pseudonym(patient);
            }
            if (allFrames && h.frames() > 1) {
                for (int k = 1; k <= h.frames(); k++) {
                    FrameReference ref = new FrameReference(file, k);
                    samples.add(new Sample(rel + "#frame" + k, ref.path(), patient, cls, label));
                }
            } else {
                samples.add(new Sample(rel, file, patient, cls, label));
            }
        }
        if (!skipped.isEmpty()) {
            LOG.info("skipped {} DICOM object(s) without an image below {} (e.g. {}: {})", skipped.size(), root,
                    skipped.get(0).item(), skipped.get(0).reason());
        }
        for (ItemFailure f : failures) {
            LOG.warn("unreadable DICOM file {}: {}", f.item(), f.reason());
        }
        if (filtered > 0) {
            LOG.info("{} DICOM image(s) left out by the Modality/Body Part/View Position filters", filtered);
        }
        return new Result(new DataSet(root, samples), List.copyOf(skipped), List.copyOf(failures), filtered);
    }

    private Label labelOf(String raw) {
        String v = raw.trim();
        if (v.equals("0") || v.equalsIgnoreCase("normal") || v.equalsIgnoreCase(normalClass)) {
            return Label.NORMAL;
        }
        return Label.ABNORMAL;
    }

    private static boolean matches(Set<String> allowed, String value) {
        return allowed.isEmpty() || allowed.contains(value.trim().toUpperCase(Locale.ROOT));
    }

    private static Optional<String> nonImageReason(DicomHeader h) {
        if (h.sopClassUid().startsWith("1.2.840.10008.5.1.4.1.1.88.")) {
            return Optional.of("structured report or key object (SOP class " + h.sopClassUid() + ")");
        }
        if (h.sopClassUid().startsWith("1.2.840.10008.5.1.4.1.1.11.")) {
            return Optional.of("presentation state (SOP class " + h.sopClassUid() + ")");
        }
        if (h.sopClassUid().equals("1.2.840.10008.1.3.10")) {
            return Optional.of("DICOMDIR");
        }
        if (!h.hasPixelData()) {
            return Optional.of("no pixel data (SOP class " + (h.sopClassUid().isEmpty() ? "unknown" : h.sopClassUid()) + ")");
        }
        return Optional.empty();
    }

    private List<Path> candidates(Path root) {
        Path dicomDir = root.resolve("DICOMDIR");
        if (useDicomDir && Files.isRegularFile(dicomDir)) {
            try {
                List<Path> referenced = DicomDir.referencedFiles(dicomDir);
                LOG.info("{} lists {} file(s)", dicomDir, referenced.size());
                return referenced.stream().filter(Files::isRegularFile).toList();
            } catch (IOException e) {
                LOG.warn("cannot read {} ({}); scanning the folder instead", dicomDir, e.getMessage());
            }
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /** CSV rows {@code key,label}; a first row whose label column reads "label" is a header. */
    private static Map<String, String> readLabels(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the labels CSV " + csv.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int comma = line.lastIndexOf(',');
            if (comma <= 0 || comma == line.length() - 1) {
                throw new IllegalArgumentException("labels CSV " + csv + " line " + (i + 1) + ": expected"
                        + " 'path or SOP instance UID,label' (label 0/normal/<normal class> or any other class), got '"
                        + line + "'");
            }
            String key = unquote(line.substring(0, comma).strip());
            String label = unquote(line.substring(comma + 1).strip());
            if (out.isEmpty() && label.equalsIgnoreCase("label")) {
                continue;
            }
            Path asPath = Path.of(key);
            out.put(asPath.isAbsolute() ? asPath.normalize().toString() : key.replace('\\', '/'), label);
        }
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** Configures a {@link DicomFolderLayout}. */
    public static final class Builder {
        private final String normalClass;
        private Path labelsCsv;
        private Set<String> modalities = Set.of();
        private Set<String> bodyParts = Set.of();
        private Set<String> viewPositions = Set.of();
        private boolean useDicomDir = true;
        private Pseudonymizer pseudonymizer;
        private boolean allFrames;

        private Builder(String normalClass) {
            this.normalClass = Objects.requireNonNull(normalClass, "normalClass");
        }

        /**
         * @param csv labels CSV ({@code path relative to the root, absolute path or SOP Instance UID,label}), or
         *            {@code null} for class folders
         * @return this builder
         */
        public Builder labels(Path csv) {
            this.labelsCsv = csv;
            return this;
        }

        /**
         * @param values keep only these Modality values, e.g. CR, DX (empty: all)
         * @return this builder
         */
        public Builder modalities(Set<String> values) {
            this.modalities = Set.copyOf(values);
            return this;
        }

        /**
         * @param values keep only these Body Part Examined values, e.g. HAND (empty: all)
         * @return this builder
         */
        public Builder bodyParts(Set<String> values) {
            this.bodyParts = Set.copyOf(values);
            return this;
        }

        /**
         * @param values keep only these View Position values, e.g. PA (empty: all)
         * @return this builder
         */
        public Builder viewPositions(Set<String> values) {
            this.viewPositions = Set.copyOf(values);
            return this;
        }

        /**
         * @param use read the root's DICOMDIR, when there is one, instead of scanning the folder (default true)
         * @return this builder
         */
        public Builder useDicomDir(boolean use) {
            this.useDicomDir = use;
            return this;
        }

        /**
         * @param p replace patient ids with its pseudonyms, or {@code null} to keep the ids
         * @return this builder
         */
        public Builder pseudonymizer(Pseudonymizer p) {
            this.pseudonymizer = p;
            return this;
        }

        /**
         * @param each true: every frame of a multi-frame file is a sample ({@link FrameReference} paths);
         *             false (default): its first frame
         * @return this builder
         */
        public Builder allFrames(boolean each) {
            this.allFrames = each;
            return this;
        }

        /** @return the layout */
        public DicomFolderLayout build() {
            return new DicomFolderLayout(this);
        }
    }
}

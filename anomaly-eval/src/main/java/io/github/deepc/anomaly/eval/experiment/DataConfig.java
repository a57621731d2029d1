package io.github.deepc.anomaly.eval.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.DataSets;
import io.github.deepc.anomaly.core.data.Label;
import io.github.deepc.anomaly.core.data.MuraLayout;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.pipeline.Seeds;
import io.github.deepc.anomaly.eval.split.PatientSplit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The data set of an experiment (or the test folder of the given-test protocol).
 *
 * @param path         the data folder; a relative path is taken relative to the experiment file's folder
 * @param layout       {@code class-folder}, {@code mura} or {@code auto} (default: MURA when it looks like MURA,
 *                     else class folders)
 * @param normalClass  the normal class folder (default {@code NORMAL}; ignored for MURA)
 * @param maxNormals   use about this many normal images at most (whole patients, chosen with the split seed), or
 *                     {@code null} for all
 * @param maxAbnormals use about this many abnormal images at most, or {@code null} for all
 * @param bodyPart     MURA only: a body part such as {@code HAND}, or {@code null} for all
 * @param muraSplit    MURA only: {@code train} (default) or {@code valid}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataConfig(String path, String layout, String normalClass, Integer maxNormals, Integer maxAbnormals,
                         String bodyPart, String muraSplit) {
    /** Layout word: class folders. */
    public static final String CLASS_FOLDER = "class-folder";
    /** Layout word: MURA. */
    public static final String MURA = "mura";
    /** Layout word: detect. */
    public static final String AUTO = "auto";

    /** @return the layout, {@code auto} when unset */
    public String layoutOrDefault() {
        return layout == null ? AUTO : layout.toLowerCase(Locale.ROOT);
    }

    /** @return the normal class, {@code NORMAL} when unset */
    public String normalClassOrDefault() {
        return normalClass == null ? "NORMAL" : normalClass;
    }

    /**
     * Fills the unset layout, normal class and MURA body part from another data config (a test folder takes them
     * from the main data set).
     *
     * @param parent the config to inherit from
     * @return the completed config
     */
    public DataConfig inheritFrom(DataConfig parent) {
        return new DataConfig(path, layout == null ? parent.layout() : layout,
                normalClass == null ? parent.normalClass() : normalClass, maxNormals, maxAbnormals,
                bodyPart == null ? parent.bodyPart() : bodyPart, muraSplit);
    }

    /**
     * Checks the values.
     *
     * @param where the field's place in the experiment file, for messages (e.g. {@code data})
     * @throws IllegalArgumentException naming the field
     */
    void validate(String where) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("'" + where + ".path' is required (the data folder)");
        }
        String l = layoutOrDefault();
        if (!l.equals(CLASS_FOLDER) && !l.equals(MURA) && !l.equals(AUTO)) {
            throw new IllegalArgumentException("'" + where + ".layout' must be " + CLASS_FOLDER + ", " + MURA + " or "
                    + AUTO + ", got '" + layout + "'");
        }
        if (maxNormals != null && maxNormals < 1 || maxAbnormals != null && maxAbnormals < 0) {
            throw new IllegalArgumentException("'" + where + ".maxNormals' must be >= 1 and '" + where
                    + ".maxAbnormals' >= 0, got " + maxNormals + " and " + maxAbnormals);
        }
        if (muraSplit != null && !muraSplit.equals("train") && !muraSplit.equals("valid")) {
            throw new IllegalArgumentException("'" + where + ".muraSplit' must be train or valid, got '" + muraSplit + "'");
        }
    }

    /**
     * Loads the samples and applies the limits.
     *
     * @param baseDir folder that relative paths are resolved against
     * @param seed    seed of the limit's patient choice
     * @return the samples, in the layout's order
     * @throws IllegalArgumentException when the folder is missing or holds no image
     */
    public List<Sample> load(Path baseDir, long seed) {
        Path root = resolve(baseDir);
        DataSet ds = switch (layoutOrDefault()) {
            case CLASS_FOLDER -> ClassFolderLayout.withNormalClass(normalClassOrDefault()).load(root);
            case MURA -> new MuraLayout(muraSplit == null ? "train" : muraSplit, Optional.ofNullable(bodyPart)).load(root);
            default -> DataSets.detect(root, normalClassOrDefault());
        };
        if (ds.size() == 0) {
            throw new IllegalArgumentException("no images (png/jpg/jpeg/tif) in " + root);
        }
        List<Sample> samples = ds.samples();
        Set<Sample> keep = new HashSet<>();
        keep.addAll(limit(samples, Label.NORMAL, maxNormals, Seeds.mix(seed, "limit-normal")));
        keep.addAll(limit(samples, Label.ABNORMAL, maxAbnormals, Seeds.mix(seed, "limit-abnormal")));
        keep.addAll(samples.stream().filter(s -> s.label() == Label.UNKNOWN).toList());
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) {
            if (keep.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * @param baseDir folder that a relative path is resolved against
     * @return the data folder, absolute and normalised
     */
    public Path resolve(Path baseDir) {
        return baseDir.resolve(path).toAbsolutePath().normalize();
    }

    private static List<Sample> limit(List<Sample> samples, Label label, Integer max, long seed) {
        List<Sample> of = samples.stream().filter(s -> s.label() == label).toList();
        return max == null || of.size() <= max ? of : PatientSplit.ofCount(of, max, seed).first();
    }
}

package io.github.deepc.anomaly.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Loads the class-folder layout {@code ROOT/<CLASS>/*.{png,jpg,jpeg,tif}}: the class named as normal gives
 * {@link Label#NORMAL} samples, every other class folder {@link Label#ABNORMAL}. Images directly under ROOT
 * (no class folder) are unlabelled ({@link Label#UNKNOWN}).
 */
public final class ClassFolderLayout {
    private final String normalClass;
    private final PatientIdExtractor patientIds;

    /**
     * @param normalClass name of the folder holding normal images (matched case-insensitively)
     * @param patientIds  how patient ids are read from paths
     */
    public ClassFolderLayout(String normalClass, PatientIdExtractor patientIds) {
        this.normalClass = Objects.requireNonNull(normalClass, "normalClass");
        this.patientIds = Objects.requireNonNull(patientIds, "patientIds");
    }

    /**
     * @param normalClass name of the folder holding normal images
     * @return a layout reading patient ids from file names ({@link PatientIds#fromFileName()})
     */
    public static ClassFolderLayout withNormalClass(String normalClass) {
        return new ClassFolderLayout(normalClass, PatientIds.fromFileName());
    }

    /**
     * Lists the images below {@code root}.
     *
     * @param root data set root
     * @return the data set, samples sorted by path
     * @throws IllegalArgumentException when {@code root} is not a folder
     */
    public DataSet load(Path root) {
        DataSetLoader.requireDirectory(root, "data folder");
        List<Sample> samples = new ArrayList<>();
        for (Path file : DataSetLoader.images(root, false)) {
            samples.add(sample(root, file, "", Label.UNKNOWN));
        }
        for (Path classDir : DataSetLoader.subfolders(root)) {
            String cls = classDir.getFileName().toString();
            Label label = cls.equalsIgnoreCase(normalClass) ? Label.NORMAL : Label.ABNORMAL;
            for (Path file : DataSetLoader.images(classDir, true)) {
                samples.add(sample(root, file, cls, label));
            }
        }
        return new DataSet(root, samples);
    }

    /**
     * Loads a data set and insists that it has normal images, as training does.
     *
     * @param root data set root
     * @return the data set
     * @throws IllegalArgumentException naming the folder and the classes found when there is no normal image
     */
    public DataSet loadForTraining(Path root) {
        DataSet ds = load(root);
        if (ds.normals().isEmpty()) {
            boolean hasFolder = Files.isDirectory(root.resolve(normalClass))
                    || ds.classNames().stream().anyMatch(c -> c.equalsIgnoreCase(normalClass));
            throw new IllegalArgumentException("no images of the normal class '" + normalClass + "' in " + root
                    + (hasFolder ? " (the folder holds no png/jpg/jpeg/tif image)"
                            : "; class folders found: " + ds.classNames()));
        }
        return ds;
    }

    private Sample sample(Path root, Path file, String cls, Label label) {
        return new Sample(DataSetLoader.relativeId(root, file), file, patientIds.patientId(root, file), cls, label);
    }
}

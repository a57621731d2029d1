package io.github.deepc.anomaly.core.data;

import java.nio.file.Path;
import java.util.Optional;

/** Entry point for loading a folder in whichever supported layout it has. */
public final class DataSets {
    private DataSets() {
    }

    /**
     * Loads {@code root} as MURA ({@code train}/{@code valid} split, all body parts) when it looks like MURA,
     * else as the class-folder layout.
     *
     * @param root        the data folder
     * @param normalClass the normal class folder name (ignored for MURA, whose studies carry their label)
     * @return the data set
     */
    public static DataSet detect(Path root, String normalClass) {
        if (MuraLayout.looksLikeMura(root)) {
            String split = root.getFileName() != null && root.getFileName().toString().equals("valid") ? "valid" : "train";
            return new MuraLayout(split, Optional.empty()).load(root);
        }
        return ClassFolderLayout.withNormalClass(normalClass).load(root);
    }
}

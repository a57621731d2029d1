package io.github.deepc.anomaly.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The real-data tests find {@code ../shared} beside the checkout wherever Maven was started: the build sets
 * {@code anomaly.shared.dir} from the project root, which Maven finds by its {@code .mvn} folder, also when it runs
 * inside one module (then the working directory is the module, not the root).
 */
class SharedDirResolutionTest {
    @Test
    void theSharedFolderIsResolvedFromTheProjectRootNotFromTheModule() {
        String configured = System.getProperty("anomaly.shared.dir");
        assertNotNull(configured, "the build passes anomaly.shared.dir to the tests");
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve(".mvn"))) {
            root = root.getParent();
        }
        assertNotNull(root, "no .mvn folder above " + Path.of("").toAbsolutePath() + ": the project root is unmarked");
        assertEquals(root.resolve("..").resolve("shared").normalize(), Path.of(configured).toAbsolutePath().normalize(),
                "anomaly.shared.dir must be ../shared beside the project root");
    }
}

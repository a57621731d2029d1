package io.github.deepc.anomaly.core.phantom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renders in a separate JVM started with {@code -Djava.awt.headless=true}, so as not to touch this JVM's AWT. */
class HeadlessPhantomTest {
    @Test
    void rendersAndWritesInAHeadlessJvm(@TempDir Path tmp) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = tmp.resolve("out.txt");
        Process p = new ProcessBuilder(java.toString(), "-Djava.awt.headless=true", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), HeadlessProbe.class.getName(), tmp.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "headless probe timed out");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(Files.isRegularFile(tmp.resolve("data/NORMAL/phantom-5.png")), out);
        assertTrue(Files.isRegularFile(tmp.resolve("data/ABNORMAL/phantom-8-lesion.png")), out);
        // the same pixels as rendered here
        int here = HandPhantomGenerator.ofSize(48).generate(5, AnomalyKind.LESION).image().hashCode();
        assertEquals(String.valueOf(here), out.strip());
    }
}

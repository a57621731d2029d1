package io.github.deepc.anomaly.core.detector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.TestImages;
import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 item 12 and 8: detector files from elsewhere, truncated or built to hurt. */
class HostileDetectorFileTest {
    @TempDir
    Path tmp;
    private final PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
    private Path good;

    @BeforeEach
    void save() throws IOException {
        for (int i = 0; i < 4; i++) {
            TestImages.png(tmp.resolve("data/NORMAL/n" + i + ".png"), 16, i, false);
        }
        DataSet ds = ClassFolderLayout.withNormalClass("NORMAL").load(tmp.resolve("data"));
        try (AnomalyDetector d = AnomalyDetector.builder().registry(registry)
                .pipeline(List.of(PluginSpec.of("test-scale", "factor", "0.5")))
                .model(PluginSpec.of("test-mean")).scorer(PluginSpec.of("test-mse")).seed(7).build()) {
            d.fit(ds.normals(), ProgressListener.NONE);
            good = tmp.resolve("good.detector");
            d.save(good);
        }
    }

    private byte[] entry(String name) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(good))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(name)) {
                    return zip.readAllBytes();
                }
            }
        }
        throw new AssertionError(name);
    }

    @Test
    void aTruncatedFileSaysItIsTruncated() throws IOException {
        byte[] all = Files.readAllBytes(good);
        Path cut = Files.write(tmp.resolve("cut.detector"), Arrays.copyOf(all, all.length / 2));
        IOException e = assertThrows(IOException.class, () -> AnomalyDetector.load(cut, registry));
        assertTrue(e.getMessage().contains("cut.detector") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aZipBombIsRefusedLongBeforeItsDeclaredSize() throws IOException {
        Path bomb = tmp.resolve("bomb.detector");
        byte[] zeros = new byte[1 << 20];
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.putNextEntry(new ZipEntry(DetectorFile.MANIFEST));
            zip.write(entry(DetectorFile.MANIFEST));
            zip.putNextEntry(new ZipEntry(DetectorFile.MODEL));
            for (int i = 0; i < 128; i++) { // 128 MiB of zeros in a file of about 130 KB
                zip.write(zeros);
            }
            zip.putNextEntry(new ZipEntry(DetectorFile.SCORER));
            zip.write(entry(DetectorFile.SCORER));
        }
        assertTrue(Files.size(bomb) < 1 << 20, Files.size(bomb) + " bytes");
        Runtime r = Runtime.getRuntime();
        System.gc();
        long before = r.totalMemory() - r.freeMemory();
        IOException e = assertThrows(IOException.class, () -> AnomalyDetector.load(bomb, registry));
        assertTrue(e.getMessage().contains("bomb.detector") && e.getMessage().contains("model.bin")
                && e.getMessage().contains("zip bomb"), e.getMessage());
        assertTrue(r.totalMemory() - r.freeMemory() - before < 200L << 20, "inflation stopped at the budget");
    }

    @Test
    void entriesWithPathsAreNeverWrittenAnywhereAndDuplicatesAreRefused() throws IOException {
        Path evil = tmp.resolve("sub/evil.detector");
        Files.createDirectories(evil.getParent());
        try (OutputStream out = Files.newOutputStream(evil); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : List.of(DetectorFile.MANIFEST, DetectorFile.MODEL, DetectorFile.SCORER)) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write(entry(name));
            }
            zip.putNextEntry(new ZipEntry("../../escaped.sh"));
            zip.write("#!/bin/sh\necho pwned\n".getBytes());
        }
        try (AnomalyDetector loaded = AnomalyDetector.load(evil, registry)) {
            assertTrue(loaded.isFitted(), "extra entries are ignored");
        }
        try (var walk = Files.walk(tmp)) {
            assertFalse(walk.anyMatch(p -> p.getFileName().toString().equals("escaped.sh")), "nothing extracted");
        }
        Path twice = tmp.resolve("twice.detector");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(twice))) {
            for (String name : List.of(DetectorFile.MANIFEST, DetectorFile.MODEL, DetectorFile.MODEL + "/")) {
                zip.putNextEntry(new ZipEntry(name.replace("/", "")));
                zip.write(entry(name.replace("/", "")));
            }
        } catch (java.util.zip.ZipException duplicateRefusedByTheWriter) {
            // the JDK's writer will not make such a file; the reader's check stays for files made elsewhere
            return;
        }
        IOException e = assertThrows(IOException.class, () -> AnomalyDetector.load(twice, registry));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void aGoodFileStillLoadsWithIdenticalState() throws IOException {
        try (AnomalyDetector loaded = AnomalyDetector.load(good, registry)) {
            Path again = tmp.resolve("again.detector");
            loaded.save(again);
            assertArrayEquals(entry(DetectorFile.MODEL), readEntry(again, DetectorFile.MODEL));
            assertEquals(loaded.config(), AnomalyDetector.load(again, registry).config());
        }
    }

    private static byte[] readEntry(Path file, String name) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(name)) {
                    return zip.readAllBytes();
                }
            }
        }
        throw new AssertionError(name);
    }
}

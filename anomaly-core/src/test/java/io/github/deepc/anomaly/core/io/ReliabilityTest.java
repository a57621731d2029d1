package io.github.deepc.anomaly.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.TestImages;
import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.imageio.ImageDecoders;
import io.github.deepc.anomaly.core.imageio.ImageDecodersAccess;
import io.github.deepc.anomaly.core.imageio.ImageHeader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15: atomic outputs, output locks, linked class folders, the pixel limit. */
class ReliabilityTest {
    @TempDir
    Path dir;

    private List<Path> strays() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void aWriteThatFailsHalfwayLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("scores.csv");
        AtomicFiles.write(file, "complete\n".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertEquals("complete\n", Files.readString(file));
        assertEquals(List.of(), strays());
    }

    @Test
    void anAbandonedStreamedWriteIsNeverPublished() throws IOException {
        Path file = dir.resolve("big.csv");
        try (AtomicFiles.Pending p = AtomicFiles.open(file)) {
            p.stream().write("header\n".getBytes(StandardCharsets.UTF_8));
            assertFalse(Files.exists(file), "nothing at the target before the commit");
            assertEquals(1, strays().size());
        }
        assertFalse(Files.exists(file));
        assertEquals(List.of(), strays());
        try (AtomicFiles.Pending p = AtomicFiles.open(file)) {
            p.stream().write("header\n".getBytes(StandardCharsets.UTF_8));
            AtomicFiles.abandonAll(); // what the tool's shutdown hook does on SIGTERM
            assertEquals(List.of(), strays());
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void aFolderInTheWayIsAClearErrorAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("model.detector");
        Files.createDirectories(target.resolve("inside"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, new byte[10]));
        assertTrue(e.getMessage().contains("model.detector") && e.getMessage().contains("folder"), e.getMessage());
        assertEquals(List.of(), strays());
    }

    @Test
    void outputsGetThePermissionsOfAnyNewFileNotOwnerOnly() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        Path atomic = dir.resolve("atomic.txt");
        AtomicFiles.write(atomic, new byte[] {1});
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertEquals(expected, Files.getPosixFilePermissions(atomic));
    }

    @Test
    void aSecondWriterIsRefusedUntilTheFirstReleases() throws IOException {
        Path out = dir.resolve("scores.csv");
        try (OutputLock first = OutputLock.forFile(out)) {
            IOException e = assertThrows(IOException.class, () -> OutputLock.forFile(out));
            assertTrue(e.getMessage().contains("scores.csv") && e.getMessage().contains("another process"),
                    e.getMessage());
        }
        OutputLock.forFile(out).close();
        try (OutputLock folder = OutputLock.forFolder(dir.resolve("experiment"))) {
            assertThrows(IOException.class, () -> OutputLock.forFolder(dir.resolve("experiment")));
        }
    }

    @Test
    void linkedClassFoldersAreReadAndLoopsAreNamed() throws IOException {
        Path elsewhere = dir.resolve("elsewhere/fractured");
        TestImages.png(elsewhere.resolve("f1.png"), 8, 1, true);
        TestImages.png(elsewhere.resolve("sub/f2.png"), 8, 2, true);
        Path normalsElsewhere = dir.resolve("elsewhere/normal");
        TestImages.png(normalsElsewhere.resolve("n1.png"), 8, 3, false);
        Path root = dir.resolve("data");
        TestImages.png(root.resolve("OTHER/o1.png"), 8, 4, true);
        Files.createSymbolicLink(root.resolve("FRACTURED"), elsewhere);
        Files.createSymbolicLink(root.resolve("NORMAL"), normalsElsewhere);
        Files.createSymbolicLink(root.resolve("OTHER/linked.png"), elsewhere.resolve("f1.png"));
        DataSet ds = ClassFolderLayout.withNormalClass("NORMAL").loadForTraining(root);
        assertEquals(List.of("FRACTURED/f1.png", "FRACTURED/sub/f2.png", "NORMAL/n1.png", "OTHER/linked.png",
                "OTHER/o1.png"), ds.samples().stream().map(Sample::id).sorted().toList());
        assertEquals(1, ds.normals().size());
        Files.createSymbolicLink(elsewhere.resolve("sub/back"), elsewhere);
        IllegalArgumentException loop = assertThrows(IllegalArgumentException.class,
                () -> ClassFolderLayout.withNormalClass("NORMAL").load(root));
        assertTrue(loop.getMessage().contains("loop") && loop.getMessage().contains("back"), loop.getMessage());
    }

    @Test
    void aBrokenLinkIsASampleThatFailsNotASilentGap() throws IOException {
        Path root = dir.resolve("data");
        TestImages.png(root.resolve("NORMAL/n1.png"), 8, 3, false);
        Files.createSymbolicLink(root.resolve("NORMAL/gone.png"), dir.resolve("missing.png"));
        DataSet ds = ClassFolderLayout.withNormalClass("NORMAL").load(root);
        assertEquals(2, ds.size());
        Sample gone = ds.samples().stream().filter(s -> s.id().endsWith("gone.png")).findFirst().orElseThrow();
        IOException e = assertThrows(IOException.class, () -> DataSet.load(gone));
        assertTrue(e.getMessage().contains("gone.png"), e.getMessage());
    }

    /** A valid PNG header declaring {@code side x side} 8-bit grey pixels, followed by a few rows of data only. */
    private static byte[] bombPng(int side) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(side);
        h.writeInt(side);
        h.write(new byte[] {8, 0, 0, 0, 0}); // 8-bit grey, deflate, no filter, no interlace
        chunk(out, "IHDR", ihdr.toByteArray());
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
            z.write(new byte[4 * (side + 1)]);
        }
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return bytes.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    @Test
    void imagesAboveThePixelLimitAreRefusedFromTheHeaderBeforeDecoding() throws IOException {
        Path bomb = dir.resolve("bomb.png");
        Files.write(bomb, bombPng(24_000));
        assertTrue(Files.size(bomb) < 100_000, "a small file: " + Files.size(bomb));
        assertArrayEquals(new int[] {24_000, 24_000}, ImageHeader.dimensions(bomb).orElseThrow());
        long before = usedHeap();
        long t0 = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> ImageDecoders.decode(bomb));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(e.getMessage().contains("bomb.png") && e.getMessage().contains("576.0 megapixels")
                && e.getMessage().contains("limit of 100.0 megapixels"), e.getMessage());
        assertTrue(seconds < 2, "refused from the header, not after decoding: " + seconds + " s");
        assertTrue(usedHeap() - before < 64L << 20, "no pixel memory allocated");
        IOException lower = assertThrows(IOException.class, () -> ImageDecoders.decode(bomb, 1000));
        assertTrue(lower.getMessage().contains("limit of 0.0 megapixels"), lower.getMessage());
        Path small = dir.resolve("small.png");
        TestImages.png(small, 8, 1, false);
        assertEquals(8, ImageDecoders.decode(small, 64).width(), "at the limit is accepted");
        assertThrows(IOException.class, () -> ImageDecoders.decode(small, 63));
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    @Test
    void truncatedJpegsAreRecognised() throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(32, 32,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 32; i++) {
            img.getRaster().setSample(i, i, 0, 200);
        }
        Path whole = dir.resolve("whole.jpg");
        javax.imageio.ImageIO.write(img, "jpeg", whole.toFile());
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.jpg"), java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3));
        assertFalse(ImageDecodersAccess.truncatedJpeg(whole));
        assertTrue(ImageDecodersAccess.truncatedJpeg(cut));
        Path png = dir.resolve("p.png");
        TestImages.png(png, 8, 1, false);
        assertFalse(ImageDecodersAccess.truncatedJpeg(png), "not a JPEG at all");
    }
}

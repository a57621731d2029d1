package io.github.deepc.anomaly.dicom;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Damaged files (truncated anywhere, bytes overwritten anywhere) either still decode or fail with a
 * {@link DicomFormatException} naming the file: never another exception, so a batch can report and go on.
 */
class DicomCorruptionProperties {
    @Property(tries = 300)
    void damageGivesAnImageOrAClearError(@ForAll @IntRange(min = 0, max = 2) int syntaxIndex, @ForAll boolean truncate,
            @ForAll @IntRange(min = 1, max = 8) int flips, @ForAll long seed) throws IOException {
        TransferSyntax ts = new TransferSyntax[] {TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN}[syntaxIndex];
        Path dir = Files.createTempDirectory("dicom-damage");
        Path f = dir.resolve("damaged");
        try {
            int[] v = new int[12 * 10];
            Arrays.fill(v, 321);
            DicomWriter.create().transferSyntax(ts).bits(16, 12, false).rescale(2, -5).window(300, 100)
                    .identity("P", "1.2", "1.2.3", "DX", "HAND", "PA").write(f, 12, 10, v);
            byte[] b = Files.readAllBytes(f);
            Random rnd = new Random(seed);
            if (truncate) {
                b = Arrays.copyOf(b, rnd.nextInt(b.length));
            } else {
                for (int i = 0; i < flips; i++) {
                    b[128 + rnd.nextInt(b.length - 128)] = (byte) rnd.nextInt(256);
                }
            }
            Files.write(f, b);
            try {
                new DicomImageReader(DicomReadOptions.DEFAULT).readAllFrames(f);
                DicomImageReader.readHeader(f);
            } catch (DicomFormatException e) {
                assertTrue(e.getMessage().contains(f.toString()), "message must name the file: " + e.getMessage());
            }
        } finally {
            Files.deleteIfExists(f);
            Files.delete(dir);
        }
    }
}

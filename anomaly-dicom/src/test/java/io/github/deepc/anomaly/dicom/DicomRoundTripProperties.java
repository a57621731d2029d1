package io.github.deepc.anomaly.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Written then read back: every layout the writer knows decodes to the stored values after rescale and inversion. */
class DicomRoundTripProperties {
    @Property(tries = 60)
    void storedValuesRescaledAndInvertedComeBack(@ForAll @IntRange(min = 1, max = 23) int width,
            @ForAll @IntRange(min = 1, max = 17) int height, @ForAll @IntRange(min = 0, max = 2) int syntaxIndex,
            @ForAll boolean sixteen, @ForAll boolean signed, @ForAll boolean monochrome1, @ForAll boolean preamble,
            @ForAll @IntRange(min = -3, max = 3) int slope, @ForAll @IntRange(min = -2000, max = 2000) int intercept,
            @ForAll long seed) throws IOException {
        TransferSyntax ts = new TransferSyntax[] {TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN}[syntaxIndex];
        int bits = sixteen ? 12 : 8;
        int allocated = sixteen ? 16 : 8;
        double s = slope == 0 ? 0.5 : slope;
        Random rnd = new Random(seed);
        int[] stored = new int[width * height];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = signed ? rnd.nextInt(1 << bits) - (1 << (bits - 1)) : rnd.nextInt(1 << bits);
        }
        Path dir = Files.createTempDirectory("dicom-prop");
        try {
            Path f = dir.resolve("image");
            DicomWriter.create().transferSyntax(ts).preamble(preamble).bits(allocated, bits, signed)
                    .photometric(monochrome1 ? "MONOCHROME1" : "MONOCHROME2").rescale(s, intercept)
                    .identity("P1", "1.2.3", "1.2.3.4", "DX", "HAND", "PA").write(f, width, height, stored);
            GrayImage modality = new DicomImageReader(DicomReadOptions.MODALITY_VALUES).readFirstFrame(f);
            GrayImage shown = new DicomImageReader(DicomReadOptions.DEFAULT).readFirstFrame(f);
            double lo = (signed ? -(1 << (bits - 1)) : 0) * s + intercept;
            double hi = (signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1) * s + intercept;
            float[] want = new float[stored.length];
            float[] wantShown = new float[stored.length];
            for (int i = 0; i < stored.length; i++) {
                double v = stored[i] * s + intercept;
                want[i] = (float) v;
                wantShown[i] = (float) (monochrome1 ? Math.min(lo, hi) + Math.max(lo, hi) - v : v);
            }
            assertEquals(width, modality.width());
            assertEquals(height, modality.height());
            assertArrayEquals(want, modality.unsafePixels());
            assertArrayEquals(wantShown, shown.unsafePixels());
            assertEquals("P1", DicomImageReader.readHeader(f).patientId());
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}

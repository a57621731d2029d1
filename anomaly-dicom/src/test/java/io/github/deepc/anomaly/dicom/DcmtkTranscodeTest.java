package io.github.deepc.anomaly.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Files written here, converted by dcmtk (Debian package dcmtk) into other transfer syntaxes, must decode to
 * the same values (lossless) or close to them (lossy), or fail with a message naming the transfer syntax.
 * Skipped with a message when dcmtk is absent.
 */
class DcmtkTranscodeTest {
    private static final int W = 37;
    private static final int H = 23;

    @TempDir
    Path dir;
    private int[] stored12;
    private int[] stored16;
    private int[] stored8;

    @BeforeEach
    void requireDcmtk() {
        Assumptions.assumeTrue(ExternalTools.onPath("dcmconv") && ExternalTools.onPath("dcmcjpeg"),
                "dcmtk (dcmconv, dcmcjpeg, dcmcrle, dcmcjpls) is not installed: skipping");
        stored12 = new int[W * H];
        stored16 = new int[W * H];
        stored8 = new int[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                // smooth ramp plus a bright square: realistic enough for lossy JPEG to stay close
                int base = 40 * x + 30 * y + ((x > 10 && x < 20 && y > 5 && y < 15) ? 1200 : 0);
                stored12[y * W + x] = Math.min(4095, base);
                stored16[y * W + x] = Math.min(65535, base * 13 + 7);
                stored8[y * W + x] = Math.min(255, base / 10);
            }
        }
    }

    private Path original(String name, int bits) throws IOException {
        return original(name, bits, -1024);
    }

    private Path original(String name, int bits, int intercept) throws IOException {
        Path f = dir.resolve(name);
        int[] v = bits == 12 ? stored12 : bits == 16 ? stored16 : stored8;
        DicomWriter.create().bits(bits == 8 ? 8 : 16, bits, false).rescale(1, intercept)
                .identity("P", "1.2.3", "1.2.3.4.5", "DX", "HAND", "PA").write(f, W, H, v);
        return f;
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "dcmconv, +tb, 1.2.840.10008.1.2.2, 12",
        "dcmconv, +td, 1.2.840.10008.1.2.1.99, 12",
        "dcmconv, +ti, 1.2.840.10008.1.2, 16",
        "dcmcrle, '', 1.2.840.10008.1.2.5, 12",
        "dcmcrle, '', 1.2.840.10008.1.2.5, 16",
        "dcmcjpeg, +e1, 1.2.840.10008.1.2.4.70, 12",
        "dcmcjpeg, +e1, 1.2.840.10008.1.2.4.70, 16",
        "dcmcjpeg, +el, 1.2.840.10008.1.2.4.57, 12",
        "dcmcjpeg, +e1, 1.2.840.10008.1.2.4.70, 8",
    })
    void losslessConversionsDecodeToTheSameValues(String tool, String option, String uid, int bits) throws IOException {
        Path in = original("in.dcm", bits);
        Path out = dir.resolve("out");
        if (option.isEmpty()) {
            ExternalTools.runOrFail(dir, tool, in.toString(), out.toString());
        } else {
            ExternalTools.runOrFail(dir, tool, option, in.toString(), out.toString());
        }
        assertEquals(uid, DicomImageReader.readHeader(out).transferSyntaxUid());
        DicomImageReader reader = new DicomImageReader(DicomReadOptions.MODALITY_VALUES);
        assertArrayEquals(reader.readFirstFrame(in).unsafePixels(), reader.readFirstFrame(out).unsafePixels());
    }

    @ParameterizedTest(name = "{0} {1} bits")
    @CsvSource({"+eb, 8", "+ee, 8", "+ee, 12"})
    void lossyJpegDecodesCloseToTheOriginal(String option, int bits) throws IOException {
        // no rescale: dcmtk's lossy codecs rewrite it to identity by default (+ri)
        Path in = original("in.dcm", bits, 0);
        Path out = dir.resolve("out");
        ExternalTools.runOrFail(dir, "dcmcjpeg", option, in.toString(), out.toString());
        DicomImageReader reader = new DicomImageReader(DicomReadOptions.MODALITY_VALUES);
        float[] a = reader.readFirstFrame(in).unsafePixels();
        float[] b;
        try {
            b = reader.readFirstFrame(out).unsafePixels();
        } catch (DicomFormatException e) {
            // 12-bit lossy JPEG: neither the JDK's reader nor TwelveMonkeys decodes it
            assertEquals(12, bits, e.getMessage());
            assertTrue(e.getMessage().contains(out.toString()) && e.getMessage().contains("1.2.840.10008.1.2.4.51"),
                    e.getMessage());
            return;
        }
        double err = 0;
        for (int i = 0; i < a.length; i++) {
            err += Math.abs(a[i] - b[i]);
        }
        double range = bits == 8 ? 255 : 4095;
        assertTrue(err / a.length < 0.02 * range, "mean absolute error " + err / a.length);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"dcmcjpls, 1.2.840.10008.1.2.4.80", "gdcmconv, 1.2.840.10008.1.2.4.90"})
    void syntaxesWithoutAJavaDecoderFailNamingFileAndSyntax(String tool, String uid) throws IOException {
        Assumptions.assumeTrue(ExternalTools.onPath(tool), tool + " is not installed: skipping");
        Path in = original("in.dcm", 12);
        Path out = dir.resolve("out");
        if (tool.equals("gdcmconv")) {
            ExternalTools.runOrFail(dir, tool, "--j2k", "--lossless", in.toString(), out.toString());
        } else {
            ExternalTools.runOrFail(dir, tool, in.toString(), out.toString());
        }
        DicomFormatException e = assertThrows(DicomFormatException.class,
                () -> new DicomImageReader(DicomReadOptions.DEFAULT).readFirstFrame(out));
        assertTrue(e.getMessage().contains(out.toString()) && e.getMessage().contains(uid), e.getMessage());
    }
}

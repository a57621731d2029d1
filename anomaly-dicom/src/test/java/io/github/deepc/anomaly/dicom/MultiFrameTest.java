package io.github.deepc.anomaly.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.image.GrayImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Multi-frame files: every frame readable, as its own sample when asked, through RLE and lossless JPEG too. */
class MultiFrameTest {
    private static final int W = 9;
    private static final int H = 7;
    private static final int FRAMES = 3;

    @TempDir
    Path dir;
    private int[] stored;
    private Path file;

    @BeforeEach
    void write() throws IOException {
        stored = new int[W * H * FRAMES];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = (i * 37 + (i / (W * H)) * 1000) % 4096;
        }
        file = dir.resolve("cine");
        DicomWriter.create().bits(16, 12, false).identity("P", "1.2", "1.2.3", "DX", "HAND", "PA").write(file, W, H, stored);
    }

    private float[] frame(int index) {
        float[] f = new float[W * H];
        for (int i = 0; i < f.length; i++) {
            f[i] = stored[index * W * H + i];
        }
        return f;
    }

    private void assertFrames(Path f) throws IOException {
        List<GrayImage> all = new DicomImageReader(DicomReadOptions.MODALITY_VALUES).readAllFrames(f);
        assertEquals(FRAMES, all.size());
        for (int k = 0; k < FRAMES; k++) {
            assertArrayEquals(frame(k), all.get(k).unsafePixels(), "frame " + (k + 1));
        }
        assertArrayEquals(frame(1), new DicomImageReader(DicomReadOptions.MODALITY_VALUES).readFrame(f, 2).unsafePixels());
    }

    @Test
    void everyFrameAndAClearErrorBeyondTheLast() throws IOException {
        assertFrames(file);
        assertEquals(FRAMES, DicomImageReader.readHeader(file).frames());
        DicomFormatException e = assertThrows(DicomFormatException.class,
                () -> new DicomImageReader(DicomReadOptions.DEFAULT).readFrame(file, FRAMES + 1));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("Number of Frames 3"), e.getMessage());
    }

    @Test
    void rleAndLosslessJpegKeepTheFramesApart() throws IOException {
        Assumptions.assumeTrue(ExternalTools.onPath("dcmcrle") && ExternalTools.onPath("dcmcjpeg"),
                "dcmtk is not installed: skipping");
        Path rle = dir.resolve("rle");
        ExternalTools.runOrFail(dir, "dcmcrle", file.toString(), rle.toString());
        assertFrames(rle);
        Path jpeg = dir.resolve("jpeg");
        ExternalTools.runOrFail(dir, "dcmcjpeg", "+e1", file.toString(), jpeg.toString());
        assertFrames(jpeg);
    }

    @Test
    void loaderMakesOneSamplePerFrameWhenAsked() throws IOException {
        DicomWriter.create().bits(16, 12, false).identity("Q", "1.3", "1.3.1", "DX", "HAND", "PA")
                .write(dir.resolve("single"), W, H, Arrays.copyOf(stored, W * H));
        DataSet firstOnly = DicomFolderLayout.builder("NORMAL").build().load(dir).dataSet();
        assertEquals(List.of("cine", "single"), firstOnly.samples().stream().map(Sample::id).toList());
        assertArrayEquals(frame(0), DataSet.load(firstOnly.samples().get(0)).unsafePixels());

        DataSet each = DicomFolderLayout.builder("NORMAL").allFrames(true).build().load(dir).dataSet();
        assertEquals(List.of("cine#frame1", "cine#frame2", "cine#frame3", "single"),
                each.samples().stream().map(Sample::id).toList());
        for (int k = 0; k < FRAMES; k++) {
            Sample s = each.samples().get(k);
            assertEquals(s.patientId(), "P");
            // decoded through the core's ImageDecoders, as training and scoring do
            assertArrayEquals(frame(k), DataSet.load(s).unsafePixels(), s.id());
        }
    }
}

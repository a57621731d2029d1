package io.github.deepc.anomaly.dicom;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.testkit.DecoderContract;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The DICOM decoder keeps the decoder contract of the test kit, on DICOM files of 8 and 16 bits. */
class DicomDecoderContractTest {
    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicNode> theDicomDecoderKeepsTheDecoderContract() throws IOException {
        Path sixteen = dir.resolve("sixteen");
        DicomWriter.create().bits(16, 16, false).preamble(false).write(sixteen, 3, 2, new int[] {0, 1000, 65535, 7, 8, 9});
        Path eight = dir.resolve("eight.dcm");
        DicomWriter.create().bits(8, 8, false).write(eight, 2, 2, new int[] {0, 10, 200, 255});
        return DecoderContract.of(new DicomDecoderProvider())
                .sample(sixteen, GrayImage.of(3, 2, new float[] {0, 1000, 65535, 7, 8, 9}, null))
                .sample(eight, GrayImage.of(2, 2, new float[] {0, 10, 200, 255}, null))
                .tests();
    }
}

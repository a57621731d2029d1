package io.github.deepc.anomaly.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.imageio.ImageDecoders;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomImageReaderTest {
    @TempDir
    Path dir;

    private static int[] ramp(int n, int max) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = (int) ((long) i * 7919 % (max + 1));
        }
        return v;
    }

    @Test
    void bitsAboveBitsStoredAreIgnored() throws IOException {
        int[] stored = ramp(64, 4095);
        int[] dirty = Arrays.stream(stored).map(v -> v | 0xA000).toArray(); // overlay-like junk in bits 12..15
        Path f = dir.resolve("dirty.dcm");
        DicomWriter.create().bits(16, 12, false).write(f, 8, 8, dirty);
        float[] got = new DicomImageReader(DicomReadOptions.MODALITY_VALUES).readFirstFrame(f).unsafePixels();
        for (int i = 0; i < stored.length; i++) {
            assertEquals(stored[i], got[i], 0f, "pixel " + i);
        }
    }

    @Test
    void windowIsAppliedByDefaultAndIgnoredOnRequest() throws IOException {
        Path f = dir.resolve("w.dcm");
        DicomWriter.create().bits(16, 12, false).window(1000, 201).write(f, 4, 1, new int[] {0, 899, 1000, 4095});
        float[] shown = new DicomImageReader(DicomReadOptions.DEFAULT).readFirstFrame(f).unsafePixels();
        float[] full = new DicomImageReader(DicomReadOptions.FULL_RANGE).readFirstFrame(f).unsafePixels();
        // PS3.3 C.11.2.1.2.1: below the window -> 0, above -> 4095, the centre -> about the middle
        assertArrayEquals(new float[] {0, 0, (float) (((1000 - 999.5) / 200 + 0.5) * 4095), 4095}, shown);
        assertArrayEquals(new float[] {0, 899, 1000, 4095}, full);
    }

    @Test
    void truncatedPixelDataIsAClearErrorNamingTheFile() throws IOException {
        Path f = dir.resolve("t.dcm");
        DicomWriter.create().bits(16, 16, false).write(f, 16, 16, ramp(256, 65535));
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 100));
        DicomFormatException e = assertThrows(DicomFormatException.class,
                () -> new DicomImageReader(DicomReadOptions.DEFAULT).readFirstFrame(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void missingRequiredTagIsAClearError() throws IOException {
        Path f = dir.resolve("norows.dcm");
        DicomWriter.create().bits(8, 8, false).write(f, 2, 2, new int[] {1, 2, 3, 4});
        byte[] b = Files.readAllBytes(f);
        // rename (0028,0010) Rows to the unknown (0028,0015)
        for (int i = 0; i + 4 < b.length; i++) {
            if (b[i] == 0x28 && b[i + 1] == 0 && b[i + 2] == 0x10 && b[i + 3] == 0 && b[i + 4] == 'U') {
                b[i + 2] = 0x15;
                break;
            }
        }
        Files.write(f, b);
        DicomFormatException e = assertThrows(DicomFormatException.class,
                () -> new DicomImageReader(DicomReadOptions.DEFAULT).readFirstFrame(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("Rows"), e.getMessage());
    }

    @Test
    void decoderDetectsDicomByContentAndHandsOtherFilesOn() throws IOException {
        Path dcm = dir.resolve("no-extension");
        DicomWriter.create().bits(16, 16, false).preamble(false).write(dcm, 3, 1, new int[] {0, 1000, 65535});
        assertTrue(DicomImageReader.isDicom(dcm));
        assertTrue(ImageDecoders.decoderFor(dcm) instanceof DicomImageDecoder, ImageDecoders.preferred().name());
        assertEquals("dicom > imageio", ImageDecoders.preferred().name());
        GrayImage img = ImageDecoders.decode(dcm);
        assertArrayEquals(new float[] {0, 1000, 65535}, img.unsafePixels());

        Path png = dir.resolve("x.png");
        BufferedImage bi = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        bi.getRaster().setSample(1, 0, 0, 200);
        ImageIO.write(bi, "png", png.toFile());
        assertFalse(DicomImageReader.isDicom(png));
        assertArrayEquals(new float[] {0, 200}, ImageDecoders.decode(png).unsafePixels());
        assertEquals("imageio", ImageDecoders.decoderFor(png).name(), "other files go to the next decoder");
        assertArrayEquals(new float[] {0, 200}, new DicomImageDecoder().decode(png).unsafePixels(),
                "handed to the DICOM decoder directly, still decoded");
    }

    @Test
    void notDicomIsRefusedByTheReader() throws IOException {
        Path f = dir.resolve("text.dcm");
        Files.writeString(f, "this is not a DICOM file, just text that is long enough to pass the preamble length "
                + "check of the reader and then some more characters to be sure of it");
        DicomFormatException e = assertThrows(DicomFormatException.class, () -> DicomImageReader.readHeader(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("not a DICOM file"), e.getMessage());
    }
}

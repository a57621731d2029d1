package io.github.deepc.anomaly.preprocess;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.imageio.ImageIoDecoder;
import io.github.deepc.anomaly.core.imageio.ImageIoDecoderProvider;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenCvImageDecoderTest {
    private final OpenCvImageDecoder decoder = new OpenCvImageDecoder();

    @TempDir
    Path dir;

    @Test
    void nameAndPriority() {
        assertEquals("opencv", decoder.name());
        assertEquals(100, new OpenCvDecoderProvider().priority());
        assertTrue(new OpenCvDecoderProvider().priority() > new ImageIoDecoderProvider().priority());
    }

    @Test
    void reads8BitGreyPng() throws IOException {
        int w = 19;
        int h = 7;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        int[] v = new int[w * h];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 37) % 256;
        }
        v[0] = 0;
        v[1] = 255;
        img.getRaster().setSamples(0, 0, w, h, 0, v);
        Path f = dir.resolve("grey8.png");
        assertTrue(ImageIO.write(img, "png", f.toFile()));

        GrayImage g = decoder.decode(f);
        assertEquals(w, g.width());
        assertEquals(h, g.height());
        assertEquals(w * h, g.validCount());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals(v[y * w + x], g.get(x, y), 0f, "pixel " + x + "," + y);
            }
        }
        // and exactly what the core's ImageIO decoder reads
        assertEquals(new ImageIoDecoder().decode(f), g);
    }

    @Test
    void reads16BitGreyPngInNativeRange() throws IOException {
        int w = 16;
        int h = 9;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        int[] v = new int[w * h];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 4099) % 65536;
        }
        v[5] = 65535;
        v[6] = 256;
        v[7] = 1;
        img.getRaster().setSamples(0, 0, w, h, 0, v);
        Path f = dir.resolve("grey16.png");
        assertTrue(ImageIO.write(img, "png", f.toFile()));

        GrayImage g = decoder.decode(f);
        assertEquals(w, g.width());
        assertEquals(h, g.height());
        float[] expected = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            expected[i] = v[i];
        }
        assertArrayEquals(expected, g.pixels(), 0f);
        assertEquals(65535f, g.validRange()[1], 0f);
    }

    @Test
    void convertsColourPngToGrey() throws IOException {
        int[][] colours = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}, {0, 0, 0}, {200, 100, 50}};
        int w = colours.length;
        BufferedImage img = new BufferedImage(w, 2, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < w; x++) {
            int[] c = colours[x];
            int rgb = (c[0] << 16) | (c[1] << 8) | c[2];
            img.setRGB(x, 0, rgb);
            img.setRGB(x, 1, rgb);
        }
        Path f = dir.resolve("colour.png");
        assertTrue(ImageIO.write(img, "png", f.toFile()));

        GrayImage g = decoder.decode(f);
        assertEquals(w, g.width());
        assertEquals(2, g.height());
        for (int x = 0; x < w; x++) {
            int[] c = colours[x];
            float grey = 0.299f * c[0] + 0.587f * c[1] + 0.114f * c[2];
            assertEquals(grey, g.get(x, 0), 1.01f, "colour " + Arrays.toString(c));
            assertEquals(g.get(x, 0), g.get(x, 1), 0f);
        }
    }

    @Test
    void convertsColourJpegToGrey() throws IOException {
        // flat 16x16 blocks (whole JPEG MCUs), so compression barely changes the values
        int[][] colours = {{255, 0, 0}, {0, 200, 0}, {40, 40, 220}, {128, 128, 128}};
        int block = 16;
        BufferedImage img = new BufferedImage(block * colours.length, block, BufferedImage.TYPE_INT_RGB);
        for (int k = 0; k < colours.length; k++) {
            int[] c = colours[k];
            int rgb = (c[0] << 16) | (c[1] << 8) | c[2];
            for (int y = 0; y < block; y++) {
                for (int x = 0; x < block; x++) {
                    img.setRGB(k * block + x, y, rgb);
                }
            }
        }
        Path f = dir.resolve("colour.jpg");
        assertTrue(ImageIO.write(img, "jpg", f.toFile()));

        GrayImage g = decoder.decode(f);
        assertEquals(block * colours.length, g.width());
        assertEquals(block, g.height());
        for (int k = 0; k < colours.length; k++) {
            int[] c = colours[k];
            float grey = 0.299f * c[0] + 0.587f * c[1] + 0.114f * c[2];
            assertEquals(grey, g.get(k * block + block / 2, block / 2), 4f, "colour " + Arrays.toString(c));
        }
    }

    @Test
    @SuppressWarnings("try") // the scope is only there to release the native objects made in its block
    void readsTiff8And16BitAndFloat() throws IOException {
        int w = 11;
        int h = 6;
        int n = w * h;
        byte[] b8 = new byte[n];
        short[] b16 = new short[n];
        float[] f32 = new float[n];
        float[] e8 = new float[n];
        float[] e16 = new float[n];
        for (int i = 0; i < n; i++) {
            int v8 = (i * 29) % 256;
            int v16 = (i * 1009 + 60000) % 65536;
            b8[i] = (byte) v8;
            b16[i] = (short) v16;
            f32[i] = i * 0.25f - 3.5f;
            e8[i] = v8;
            e16[i] = v16;
        }
        Path t8 = dir.resolve("grey8.tif");
        Path t16 = dir.resolve("grey16.tiff");
        Path t32 = dir.resolve("float.tif");
        try (PointerScope scope = Mats.scope()) {
            Mat m8 = new Mat(h, w, CV_8U);
            ((ByteBuffer) m8.createBuffer()).put(b8);
            assertTrue(imwrite(t8.toString(), m8));
            Mat m16 = new Mat(h, w, CV_16U);
            ((ShortBuffer) m16.createBuffer()).put(b16);
            assertTrue(imwrite(t16.toString(), m16));
            Mat m32 = new Mat(h, w, CV_32F);
            ((FloatBuffer) m32.createBuffer()).put(f32);
            assertTrue(imwrite(t32.toString(), m32));
        }
        assertTiff(t8, w, h, e8);
        assertTiff(t16, w, h, e16);
        assertTiff(t32, w, h, f32);
    }

    private void assertTiff(Path f, int w, int h, float[] expected) throws IOException {
        byte[] head = Files.readAllBytes(f);
        assertTrue(head[0] == 'I' && head[1] == 'I' || head[0] == 'M' && head[1] == 'M', "not a TIFF: " + f);
        GrayImage g = decoder.decode(f);
        assertEquals(w, g.width());
        assertEquals(h, g.height());
        assertArrayEquals(expected, g.pixels(), 0f, f.toString());
    }

    @Test
    void formatIsRecognisedFromContentNotName() throws IOException {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSamples(0, 0, 3, 2, 0, new int[] {1, 2, 3, 4, 5, 6});
        Path f = dir.resolve("actually-a-png.jpg");
        assertTrue(ImageIO.write(img, "png", f.toFile()));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, decoder.decode(f).pixels(), 0f);
    }

    @Test
    void missingFileIsAnErrorNamingTheFile() {
        Path f = dir.resolve("no-such-image.png");
        IOException e = assertThrows(IOException.class, () -> decoder.decode(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void emptyFileIsAnErrorNamingTheFile() throws IOException {
        Path f = Files.createFile(dir.resolve("empty.png"));
        IOException e = assertThrows(IOException.class, () -> decoder.decode(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void corruptFileIsAnErrorNamingTheFile() throws IOException {
        Path f = dir.resolve("corrupt.png");
        Files.writeString(f, "this is not an image, just some text pretending to be one\n".repeat(20));
        IOException e = assertThrows(IOException.class, () -> decoder.decode(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("cannot decode"), e.getMessage());
    }

    @Test
    void truncatedPngIsAnErrorNamingTheFile() throws IOException {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        int[] v = new int[64 * 64];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 7919) % 251;
        }
        img.getRaster().setSamples(0, 0, 64, 64, 0, v);
        Path whole = dir.resolve("whole.png");
        assertTrue(ImageIO.write(img, "png", whole.toFile()));
        byte[] bytes = Files.readAllBytes(whole);
        Path f = dir.resolve("truncated.png");
        Files.write(f, Arrays.copyOf(bytes, 40));
        IOException e = assertThrows(IOException.class, () -> decoder.decode(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void directoryIsAnErrorNamingIt() {
        IOException e = assertThrows(IOException.class, () -> decoder.decode(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }
}

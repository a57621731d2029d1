package io.github.deepc.anomaly.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.image.ImageDecoder;
import io.github.deepc.anomaly.core.spi.DecoderProvider;
import io.github.deepc.anomaly.core.plugin.PluginCatalog;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * The {@link ImageDecoder} contract as JUnit 5 dynamic tests, for a {@code @TestFactory}:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicNode> myDecoderKeepsTheContract() {
 *     return DecoderContract.of(new MyDecoderProvider()).sample(file, expectedImage).tests();
 * }
 * }</pre>
 *
 * <p>Checked: every sample the provider claims ({@link DecoderProvider#canDecode}) decodes to exactly the expected
 * pixels, also on {@value ContractSupport#THREADS} threads at once; the built-in samples are an 8-bit and a 16-bit
 * grey PNG (skipped for a decoder that does not claim PNGs: give it samples of its format). A missing, an empty and
 * a garbage file are refused with an {@link IOException} whose message names the file, and {@code canDecode} answers
 * for a missing file without throwing.
 */
public final class DecoderContract {
    private DecoderContract() {
    }

    /**
     * @param provider the decoder provider to check
     * @return a builder of the checks
     */
    public static Builder of(DecoderProvider provider) {
        return new Builder(provider);
    }

    /**
     * Checks every decoder of a catalog (a registry's {@code decoders()}), one container per id.
     *
     * @param catalog the decoders
     * @param setup   adds samples per provider
     * @return the checks
     */
    public static Stream<DynamicNode> forAll(PluginCatalog<DecoderProvider> catalog, Function<Builder, Builder> setup) {
        return catalog.providers().stream()
                .map(p -> DynamicContainer.dynamicContainer(p.id(), setup.apply(of(p)).tests()));
    }

    /** Configures the checks of one decoder provider. */
    public static final class Builder {
        private final DecoderProvider provider;
        private final Map<Path, GrayImage> samples = new LinkedHashMap<>();
        private boolean builtInSamples = true;

        private Builder(DecoderProvider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
        }

        /**
         * @param file     a file of the decoder's format
         * @param expected what it must decode to
         * @return this
         */
        public Builder sample(Path file, GrayImage expected) {
            samples.put(file, expected);
            return this;
        }

        /**
         * @param value whether to add the built-in 8- and 16-bit PNG samples (default true)
         * @return this
         */
        public Builder builtInSamples(boolean value) {
            this.builtInSamples = value;
            return this;
        }

        /** @return the checks */
        public Stream<DynamicNode> tests() {
            String id = provider.id();
            return Stream.of(
                    DynamicTest.dynamicTest(id + " decodes its samples exactly, also concurrently", this::roundTrips),
                    DynamicTest.dynamicTest(id + " refuses missing, empty and garbage files naming them", this::errors));
        }

        private void roundTrips() throws IOException {
            Path dir = Files.createTempDirectory("decoder-contract");
            try {
                Map<Path, GrayImage> all = new LinkedHashMap<>(samples);
                if (builtInSamples) {
                    all.put(dir.resolve("grey8.png"), png(dir.resolve("grey8.png"), 8));
                    all.put(dir.resolve("grey16.png"), png(dir.resolve("grey16.png"), 16));
                }
                ImageDecoder decoder = provider.create(Map.of());
                List<Callable<GrayImage>> tasks = new ArrayList<>();
                List<GrayImage> expected = new ArrayList<>();
                for (Map.Entry<Path, GrayImage> e : all.entrySet()) {
                    if (!provider.canDecode(e.getKey())) {
                        continue;
                    }
                    GrayImage got = decoder.decode(e.getKey());
                    assertEquals(e.getValue().width(), got.width(), provider.id() + " width of " + e.getKey());
                    assertEquals(e.getValue().height(), got.height(), provider.id() + " height of " + e.getKey());
                    assertArrayEquals(e.getValue().unsafePixels(), got.unsafePixels(), provider.id() + " pixels of " + e.getKey());
                    tasks.add(() -> decoder.decode(e.getKey()));
                    expected.add(got);
                }
                for (Path own : samples.keySet()) {
                    assertTrue(provider.canDecode(own), provider.id() + " does not claim its own sample " + own);
                }
                for (List<GrayImage> run : ContractSupport.concurrently(tasks)) {
                    assertEquals(expected, run, provider.id() + ": concurrent decoding differed");
                }
            } finally {
                deleteAll(dir);
            }
        }

        private void errors() throws IOException {
            Path dir = Files.createTempDirectory("decoder-contract");
            try {
                ImageDecoder decoder = provider.create(Map.of());
                Path missing = dir.resolve("missing.png");
                provider.canDecode(missing); // must answer, not throw
                refused(decoder, missing);
                refused(decoder, Files.write(dir.resolve("empty.png"), new byte[0]));
                refused(decoder, Files.writeString(dir.resolve("garbage.png"),
                        "not an image, just text long enough to fill a header of any format; ".repeat(4),
                        StandardCharsets.US_ASCII));
            } finally {
                deleteAll(dir);
            }
        }

        private void refused(ImageDecoder decoder, Path file) {
            IOException e = assertThrows(IOException.class, () -> decoder.decode(file),
                    provider.id() + " must refuse " + file.getFileName() + " with an IOException");
            assertTrue(String.valueOf(e.getMessage()).contains(file.getFileName().toString()),
                    provider.id() + ": the message must name the file: " + e.getMessage());
        }
    }

    /** Writes a grey PNG of 13 x 7 pixels with distinct values and returns what it holds. */
    private static GrayImage png(Path file, int bits) {
        int w = 13;
        int h = 7;
        BufferedImage img = new BufferedImage(w, h, bits == 8 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_USHORT_GRAY);
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) {
            int v = bits == 8 ? (i * 37) % 256 : (i * 7919) % 65536;
            p[i] = v;
            img.getRaster().setSample(i % w, i / w, 0, v);
        }
        try {
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return GrayImage.of(w, h, p, null);
    }

    private static void deleteAll(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

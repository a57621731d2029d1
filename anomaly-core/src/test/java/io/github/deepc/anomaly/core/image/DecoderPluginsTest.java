package io.github.deepc.anomaly.core.image;

import io.github.deepc.anomaly.core.imageio.ImageDecoders;
import io.github.deepc.anomaly.core.imageio.ImageIoDecoder;
import io.github.deepc.anomaly.core.imageio.ImageIoDecoderProvider;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.deepc.anomaly.core.spi.PluginException;
import io.github.deepc.anomaly.core.spi.PluginKind;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoders are plugins like stages, models and scorers: found with ServiceLoader, by id, listed. */
class DecoderPluginsTest {
    @TempDir
    Path dir;

    @Test
    void theCoreRegistersTheImageIoDecoderById() {
        PluginRegistry registry = PluginRegistry.load(getClass().getClassLoader());
        assertEquals(List.of("imageio"), registry.decoders().ids(), "only the core on this class path");
        assertEquals(PluginKind.DECODER, registry.decoders().kind());
        assertInstanceOf(ImageIoDecoderProvider.class, registry.decoders().get("imageio"));
        assertInstanceOf(ImageIoDecoder.class, ImageDecoders.decoder("imageio"));
    }

    @Test
    void anUnknownIdListsTheAvailableOnes() {
        PluginException e = assertThrows(PluginException.class, () -> ImageDecoders.decoder("jpeg-xl"));
        assertEquals("unknown decoder 'jpeg-xl'; available: imageio", e.getMessage());
    }

    @Test
    void decodesThroughTheChosenPlugin() throws IOException {
        Path png = dir.resolve("two.png");
        BufferedImage bi = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        bi.getRaster().setSample(1, 0, 0, 77);
        ImageIO.write(bi, "png", png.toFile());
        assertInstanceOf(ImageIoDecoder.class, ImageDecoders.decoderFor(png));
        assertArrayEquals(new float[] {0, 77}, ImageDecoders.decode(png).unsafePixels());
        assertArrayEquals(new float[] {0, 77}, ImageDecoders.preferred().decode(png).unsafePixels());
        assertEquals("imageio", ImageDecoders.preferred().name());
    }
}

package io.github.deepc.anomaly.core.imageio;

import io.github.deepc.anomaly.core.image.ImageDecoder;
import io.github.deepc.anomaly.core.spi.DecoderProvider;
import io.github.deepc.anomaly.core.spi.Parameters;
import java.nio.file.Path;

/** Provides the {@code imageio} decoder ({@link ImageIoDecoder}): the fallback for every file, lowest priority. */
public final class ImageIoDecoderProvider implements DecoderProvider {
    /** The provider's id. */
    public static final String ID = "imageio";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "PNG (8/16-bit), JPEG, BMP and GIF through javax.imageio; no native code (the fallback)";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean canDecode(Path file) {
        return true;
    }

    @Override
    public ImageDecoder create(Parameters params) {
        return new ImageIoDecoder();
    }
}

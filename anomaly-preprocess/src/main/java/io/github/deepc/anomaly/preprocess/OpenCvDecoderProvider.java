package io.github.deepc.anomaly.preprocess;

import io.github.deepc.anomaly.core.image.ImageDecoder;
import io.github.deepc.anomaly.core.spi.DecoderProvider;
import io.github.deepc.anomaly.core.spi.Parameters;
import java.nio.file.Path;

/** Provides the {@code opencv} decoder ({@link OpenCvImageDecoder}): every file, above the {@code imageio} fallback. */
public final class OpenCvDecoderProvider implements DecoderProvider {
    @Override
    public String id() {
        return OpenCvImageDecoder.NAME;
    }

    @Override
    public String description() {
        return "8/16-bit PNG, JPEG, TIFF (8/16/32-bit), BMP, PGM through OpenCV's imread, recognised by content";
    }

    @Override
    public int priority() {
        return OpenCvImageDecoder.PRIORITY;
    }

    @Override
    public boolean canDecode(Path file) {
        return true;
    }

    /** @throws UnsatisfiedLinkError when OpenCV's native libraries are not available for this platform */
    @Override
    public ImageDecoder create(Parameters params) {
        return new OpenCvImageDecoder();
    }
}

package io.github.deepc.anomaly.dicom;

import io.github.deepc.anomaly.core.image.ImageDecoder;
import io.github.deepc.anomaly.core.spi.DecoderProvider;
import io.github.deepc.anomaly.core.spi.Parameters;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Provides the {@code dicom} decoder ({@link DicomImageDecoder}): claims DICOM Part 10 files by content and
 * {@link FrameReference} paths, above every other decoder; other files go to the next decoder that claims them.
 */
public final class DicomDecoderProvider implements DecoderProvider {
    @Override
    public String id() {
        return DicomImageDecoder.NAME;
    }

    @Override
    public String description() {
        return "DICOM Part 10 files, found by content (any file name), and single frames named FILE#frameN";
    }

    @Override
    public int priority() {
        return DicomImageDecoder.PRIORITY;
    }

    @Override
    public boolean canDecode(Path file) throws IOException {
        return DicomImageDecoder.claims(file);
    }

    @Override
    public ImageDecoder create(Parameters params) {
        return new DicomImageDecoder();
    }
}

package io.github.deepc.anomaly.dicom;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.image.ImageDecoder;
import io.github.deepc.anomaly.core.imageio.ImageDecoders;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@link ImageDecoder} for DICOM Part 10 files, provided by {@link DicomDecoderProvider} (id {@code dicom}), which
 * claims DICOM files by content (whatever their name) and {@link FrameReference} paths ({@code FILE#frameN}) above
 * every other decoder. DICOM files decode to their first frame, frame references to that frame, with
 * {@link DicomReadOptions#fromSystemProperty()}. Any other file handed to it directly goes to the decoder
 * {@link ImageDecoders#decoderFor(Path)} picks for it (OpenCV when present).
 */
public final class DicomImageDecoder implements ImageDecoder {
    /** The priority of its {@link DicomDecoderProvider}: above the OpenCV decoder's 100. */
    public static final int PRIORITY = 200;
    /** The decoder's {@link #name()}. */
    public static final String NAME = "dicom";

    @Override
    public GrayImage decode(Path file) throws IOException {
        java.util.Optional<FrameReference> frame = FrameReference.parse(file);
        if (frame.isPresent()) {
            return new DicomImageReader(DicomReadOptions.fromSystemProperty()).readFrame(frame.get().file(),
                    frame.get().number());
        }
        if (DicomImageReader.isDicom(file)) {
            return new DicomImageReader(DicomReadOptions.fromSystemProperty()).readFirstFrame(file);
        }
        // not DICOM: the per-file choice cannot come back here, the provider claims only DICOM content
        return ImageDecoders.decoderFor(file).decode(file);
    }

    /**
     * @param file a file or frame reference
     * @return whether this decoder is the one for it: a frame reference or DICOM content
     * @throws IOException when the file cannot be read
     */
    static boolean claims(Path file) throws IOException {
        return FrameReference.parse(file).isPresent() || DicomImageReader.isDicom(file);
    }

    @Override
    public String name() {
        return NAME;
    }
}

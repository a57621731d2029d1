package io.github.deepc.anomaly.dicom;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.image.ImageDecoder;
import io.github.deepc.anomaly.core.image.ImageIoDecoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ImageDecoder} for DICOM Part 10 files, found by {@link java.util.ServiceLoader} like the OpenCV
 * decoder. {@link io.github.deepc.anomaly.core.image.ImageDecoders} uses the single decoder of highest priority,
 * so this one ranks above OpenCV and hands every file that is not DICOM by content (whatever its name) to the
 * best other decoder on the class path. DICOM files decode to their first frame, {@link FrameReference} paths
 * ({@code FILE#frameN}) to that frame, with {@link DicomReadOptions#fromSystemProperty()}.
 */
public final class DicomImageDecoder implements ImageDecoder {
    /** The decoder's {@link #priority()}: above the OpenCV decoder's 100. */
    public static final int PRIORITY = 200;
    private static final Logger LOG = LoggerFactory.getLogger(DicomImageDecoder.class);

    private volatile ImageDecoder fallback;

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
        return fallback().decode(file);
    }

    private ImageDecoder fallback() {
        ImageDecoder f = fallback;
        if (f == null) {
            f = new ImageIoDecoder();
            var it = ServiceLoader.load(ImageDecoder.class, DicomImageDecoder.class.getClassLoader()).iterator();
            while (true) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    ImageDecoder d = it.next();
                    if (!(d instanceof DicomImageDecoder) && d.priority() > f.priority()) {
                        f = d;
                    }
                } catch (ServiceConfigurationError | LinkageError e) {
                    LOG.warn("skipping an image decoder that failed to load: {}", e.toString());
                }
            }
            fallback = f;
        }
        return f;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public String name() {
        return "dicom (else " + fallback().name() + ")";
    }
}

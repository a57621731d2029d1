package io.github.deepc.anomaly.core.spi;

import io.github.deepc.anomaly.core.image.ImageDecoder;
import java.nio.file.Path;
import java.util.List;

/**
 * Service interface for {@link ImageDecoder} plugins, found with {@link java.util.ServiceLoader} like stages,
 * models and scorers (a line in {@code META-INF/services/io.github.deepc.anomaly.core.spi.DecoderProvider}) and
 * listed by {@code anomaly plugins}.
 *
 * <p>{@code io.github.deepc.anomaly.core.imageio.ImageDecoders} (anomaly-core) decodes each file with the decoder of the highest
 * {@link #priority()} whose provider {@link #canDecode(Path) can decode} it: the DICOM decoder claims DICOM files by
 * content, the OpenCV and {@code javax.imageio} decoders claim everything else, OpenCV first.
 */
public interface DecoderProvider extends PluginProvider<ImageDecoder> {
    /** @return preference among the decoders that can decode a file; higher is tried first */
    int priority();

    /**
     * Says, cheaply and without decoding, whether this decoder is the one for a file (e.g. by its first bytes). A
     * general-purpose decoder answers {@code true} for every path and reports unreadable files itself.
     *
     * @param file the file (or a name the decoder resolves, such as a DICOM frame reference)
     * @return whether {@link #create(Parameters) the decoder} should decode it
     * @throws java.io.IOException when the file cannot be read
     */
    boolean canDecode(Path file) throws java.io.IOException;

    /** @return no parameters by default: decoders are configured by their own means (e.g. DICOM read options) */
    @Override
    default List<ParameterSpec> parameters() {
        return List.of();
    }
}

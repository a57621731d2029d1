package io.github.deepc.anomaly.core.imageio;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.image.ImageDecoder;
import io.github.deepc.anomaly.core.spi.DecoderProvider;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes image files with the {@link DecoderProvider decoder plugins} of the {@link PluginRegistry#defaultRegistry()
 * default registry}: for each file, the decoder of the highest priority whose provider can decode it (by content,
 * e.g. DICOM), the {@code javax.imageio} decoder at worst. {@link #decoder(String)} names one by id.
 */
public final class ImageDecoders {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDecoders.class);
    private static volatile List<Candidate> candidates;

    private ImageDecoders() {
    }

    /** A provider with its (thread-safe, reused) decoder. */
    private record Candidate(DecoderProvider provider, ImageDecoder decoder) {
    }

    /**
     * @return a decoder that picks, for each file, the decoder that {@link #decoderFor(Path)} picks
     */
    public static ImageDecoder preferred() {
        return PerFileDecoder.INSTANCE;
    }

    /**
     * @param file a file to decode
     * @return the decoder of the highest priority whose provider can decode it
     * @throws IOException when the providers cannot look at the file
     */
    public static ImageDecoder decoderFor(Path file) throws IOException {
        for (Candidate c : candidates()) {
            if (c.provider().canDecode(file)) {
                return c.decoder();
            }
        }
        return candidates().get(candidates().size() - 1).decoder();
    }

    /**
     * @param id a decoder provider's id, e.g. {@code opencv}
     * @return its decoder
     * @throws io.github.deepc.anomaly.core.spi.PluginException for an unknown id (listing the available ones) or a
     *     decoder that failed to load
     */
    public static ImageDecoder decoder(String id) {
        DecoderProvider p = PluginRegistry.defaultRegistry().decoders().get(id);
        for (Candidate c : candidates()) {
            if (c.provider() == p) {
                return c.decoder();
            }
        }
        throw new io.github.deepc.anomaly.core.spi.PluginException("decoder '" + id
                + "' is registered but failed to load; see the earlier warning");
    }

    /** @return the usable decoders, highest priority first (never empty: the imageio decoder at worst) */
    private static List<Candidate> candidates() {
        List<Candidate> c = candidates;
        if (c == null) {
            synchronized (ImageDecoders.class) {
                if (candidates == null) {
                    candidates = discover();
                }
                c = candidates;
            }
        }
        return c;
    }

    private static List<Candidate> discover() {
        List<Candidate> found = new ArrayList<>();
        for (DecoderProvider p : PluginRegistry.defaultRegistry().decoders().providers()) {
            try {
                // a decoder may load native libraries when created: a platform without them loses only that one
                found.add(new Candidate(p, p.create(Map.of())));
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("skipping image decoder '{}' that failed to load: {}", p.id(), e.toString());
            }
        }
        if (found.stream().noneMatch(c -> c.decoder() instanceof ImageIoDecoder)) {
            found.add(new Candidate(new ImageIoDecoderProvider(), new ImageIoDecoder()));
        }
        found.sort(Comparator.comparingInt((Candidate c) -> c.provider().priority()).reversed());
        LOG.debug("image decoders, in order: {}", found.stream().map(c -> c.provider().id()).toList());
        return List.copyOf(found);
    }

    /** The decoder {@link #preferred()} returns: delegates each file to {@link #decoderFor(Path)}'s choice. */
    private static final class PerFileDecoder implements ImageDecoder {
        static final PerFileDecoder INSTANCE = new PerFileDecoder();

        @Override
        public GrayImage decode(Path file) throws IOException {
            return decoderFor(file).decode(file);
        }

        @Override
        public String name() {
            return String.join(" > ", candidates().stream().map(c -> c.provider().id()).toList());
        }
    }

    /**
     * Decodes a file with the decoder {@link #decoderFor(Path)} picks, refusing images above {@link ImageHeader#maxPixels()} pixels
     * before decoding them.
     *
     * @param file image file
     * @return the grey image
     * @throws IOException when the file cannot be read; the message names the file
     */
    public static GrayImage decode(Path file) throws IOException {
        return decode(file, ImageHeader.maxPixels());
    }

    /**
     * Decodes a file with the decoder {@link #decoderFor(Path)} picks after checking its header against a pixel limit.
     *
     * @param file      image file
     * @param maxPixels the largest width x height accepted; larger images are refused before any pixel is decoded
     * @return the grey image
     * @throws IOException when the file cannot be read or is too large; the message names the file
     */
    public static GrayImage decode(Path file, long maxPixels) throws IOException {
        // a decoder may resolve names that are not files (e.g. DICOM frames, FILE#frameN): only files are checked
        boolean regularFile = java.nio.file.Files.isRegularFile(file);
        if (regularFile) {
            ImageHeader.requireAtMost(file, maxPixels);
        }
        GrayImage image = decoderFor(file).decode(file);
        if (regularFile && truncatedJpeg(file)) {
            // decoders fill in the missing rows and only print an anonymous libjpeg warning: name the file
            LOG.warn("image file {} is a truncated JPEG (no end-of-image marker): its missing part was filled in by"
                    + " the decoder", file);
        }
        return image;
    }

    /**
     * @param file an image file
     * @return whether it starts like a JPEG but lacks the end-of-image marker ({@code FF D9}) in its last 64 bytes
     * @throws IOException when it cannot be read
     */
    static boolean truncatedJpeg(Path file) throws IOException {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "r")) {
            long size = f.length();
            if (size < 4 || f.readUnsignedByte() != 0xFF || f.readUnsignedByte() != 0xD8) {
                return false;
            }
            int tail = (int) Math.min(64, size - 2);
            byte[] end = new byte[tail];
            f.seek(size - tail);
            f.readFully(end);
            for (int i = 0; i + 1 < end.length; i++) {
                if ((end[i] & 0xFF) == 0xFF && (end[i + 1] & 0xFF) == 0xD9) {
                    return false;
                }
            }
            return true;
        }
    }
}

package io.github.deepc.anomaly.dicom;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names one frame of a multi-frame file as a path, {@code FILE#frameN} (N from 1), so that each frame can be a
 * {@link io.github.deepc.anomaly.core.data.Sample} of its own: the core decodes samples by path only, and
 * {@link DicomImageDecoder} resolves such a path when no file of that name exists.
 *
 * @param file   the DICOM file
 * @param number the frame number, from 1
 */
public record FrameReference(Path file, int number) {
    private static final Pattern SUFFIX = Pattern.compile("^(.+)#frame([1-9][0-9]{0,8})$");

    /** @return the path naming this frame */
    public Path path() {
        return file.resolveSibling(file.getFileName() + "#frame" + number);
    }

    /**
     * @param path a path that may name a frame
     * @return the frame it names, when it has the {@code #frameN} suffix, does not exist itself and its file does
     */
    public static Optional<FrameReference> parse(Path path) {
        Path name = path.getFileName();
        if (name == null) {
            return Optional.empty();
        }
        Matcher m = SUFFIX.matcher(name.toString());
        if (!m.matches() || Files.exists(path)) {
            return Optional.empty();
        }
        Path file = path.resolveSibling(m.group(1));
        return Files.isRegularFile(file) ? Optional.of(new FrameReference(file, Integer.parseInt(m.group(2))))
                : Optional.empty();
    }
}

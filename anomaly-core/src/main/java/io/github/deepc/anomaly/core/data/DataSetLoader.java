package io.github.deepc.anomaly.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Shared file-walking helpers of the data set layouts. */
final class DataSetLoader {
    static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "tif", "tiff", "bmp");

    private DataSetLoader() {
    }

    static void requireDirectory(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(what + " is not a folder: " + dir.toAbsolutePath());
        }
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        // not isRegularFile: a broken link named like an image is kept, so that loading it reports the failure
        // instead of the file vanishing from the data set
        return dot > 0 && !n.startsWith(".") && !Files.isDirectory(p)
                && IMAGE_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Lists the images in {@code dir} (and, when {@code recursive}, in every folder below it), following symbolic
     * links to folders and files: a linked class folder is read like a real one.
     *
     * @throws IllegalArgumentException when the links form a loop, naming the folder
     */
    static List<Path> images(Path dir, boolean recursive) {
        try (Stream<Path> s = recursive ? Files.walk(dir, FileVisitOption.FOLLOW_LINKS) : Files.list(dir)) {
            return s.filter(DataSetLoader::isImage).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof FileSystemLoopException loop) {
                throw new IllegalArgumentException("symbolic links form a loop at " + loop.getFile() + " below " + dir
                        + "; remove the link that points back up the tree", loop);
            }
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    static List<Path> subfolders(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    static String relativeId(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }
}

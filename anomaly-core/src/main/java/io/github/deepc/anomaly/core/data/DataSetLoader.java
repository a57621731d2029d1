package io.github.deepc.anomaly.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
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
        return dot > 0 && !n.startsWith(".") && Files.isRegularFile(p)
                && IMAGE_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    static List<Path> images(Path dir, boolean recursive) {
        try (Stream<Path> s = recursive ? Files.walk(dir) : Files.list(dir)) {
            return s.filter(DataSetLoader::isImage).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
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

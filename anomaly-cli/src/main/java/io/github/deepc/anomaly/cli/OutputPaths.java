package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of the commands' output paths and counts, done before any work so that a mistake costs nothing. */
final class OutputPaths {
    private OutputPaths() {
    }

    /**
     * @param limit a {@code --limit} value, or {@code null}
     * @throws IllegalArgumentException when it is below 1
     */
    static void requireLimit(Integer limit) {
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1 (the number of images to use), got " + limit);
        }
    }

    /**
     * @param file   an output file
     * @param option its option name
     * @throws IOException when it is a folder or its folder cannot be created or written
     */
    static void requireWritableFile(Path file, String option) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(option + " " + file + " is a folder; expected a file path");
        }
        Path parent = file.toAbsolutePath().normalize().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new IOException(option + " " + file + ": cannot create its folder: " + AtomicFiles.reason(e), e);
        }
        if (!Files.isWritable(parent)) {
            throw new IOException(option + " " + file + ": its folder " + parent + " is not writable");
        }
    }

    /**
     * @param folder an output folder (created when missing)
     * @param option its option name
     * @throws IOException when it is a file or cannot be created or written
     */
    static void requireFolder(Path folder, String option) throws IOException {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new IOException(option + " " + folder + " is a file; expected a folder");
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IOException(option + " " + folder + ": cannot create it: " + AtomicFiles.reason(e), e);
        }
        if (!Files.isWritable(folder)) {
            throw new IOException(option + " " + folder + " is not writable");
        }
    }

    /**
     * @throws IOException when the output would overwrite the input
     */
    static void requireDistinct(Path output, String outputOption, Path input, String inputOption) throws IOException {
        boolean same = output.toAbsolutePath().normalize().equals(input.toAbsolutePath().normalize())
                || Files.exists(output) && Files.exists(input) && Files.isSameFile(output, input);
        if (same) {
            throw new IOException(outputOption + " " + output + " is the " + inputOption
                    + " file itself; writing it would destroy the input (choose another " + outputOption + ")");
        }
    }
}

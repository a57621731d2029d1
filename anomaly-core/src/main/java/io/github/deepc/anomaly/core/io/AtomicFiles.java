package io.github.deepc.anomaly.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files all or nothing: the content goes to a hidden temporary file in the target's folder
 * ({@code .NAME.RANDOM.tmp}), which is renamed onto the target only once it is complete. A reader never sees a
 * half-written target; a failed or abandoned write leaves the previous target intact and removes the temporary file.
 *
 * <p>Unlike {@link Files#createTempFile}, which always creates files readable by the owner only, the temporary file is
 * created with the process's umask, so the result has the permissions any other new file would have.
 */
public final class AtomicFiles {
    /** The writes in progress in this JVM, for {@link #abandonAll()}. */
    private static final Set<Pending> OPEN = ConcurrentHashMap.newKeySet();

    private AtomicFiles() {
    }

    /**
     * Abandons every write in progress, removing its temporary file. For an application's shutdown hook (the
     * library registers none), so that a process stopped by a signal leaves no {@code .tmp} files behind.
     */
    public static void abandonAll() {
        for (Pending p : OPEN) {
            p.close();
        }
    }

    /** Writes a file's content. */
    @FunctionalInterface
    public interface Content {
        /**
         * @param out the stream to write to (closed by the caller)
         * @throws IOException when writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code file} atomically.
     *
     * @param file    the target (parent folders are created)
     * @param content what to write
     * @throws IOException naming the file when it cannot be written; the previous file is then unchanged
     */
    public static void write(Path file, Content content) throws IOException {
        try (Pending p = open(file)) {
            content.writeTo(p.stream());
            p.commit();
        }
    }

    /**
     * Writes {@code file} atomically.
     *
     * @param file  the target (parent folders are created)
     * @param bytes its new content
     * @throws IOException naming the file when it cannot be written; the previous file is then unchanged
     */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, out -> out.write(bytes));
    }

    /**
     * Starts writing {@code file}: write to {@link Pending#stream()}, then {@link Pending#commit()}; closing without a
     * commit abandons the write. For output that is produced over a long time (streamed results).
     *
     * @param file the target (parent folders are created)
     * @return the pending write
     * @throws IOException naming the file when its folder or temporary file cannot be created, or when the target
     *                     is a folder
     */
    public static Pending open(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new IOException("cannot write " + file + ": it is a folder (expected a file path)");
        }
        Path parent = target.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new IOException("cannot create the folder " + parent + " for " + file + ": " + reason(e), e);
        }
        for (int attempt = 0; ; attempt++) {
            Path tmp = parent.resolve("." + target.getFileName() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
            try {
                OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                Pending p = new Pending(target, file, tmp, new BufferedOutputStream(out, 1 << 16));
                OPEN.add(p);
                return p;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw e;
                }
            } catch (IOException e) {
                throw new IOException("cannot write " + file + ": " + reason(e), e);
            }
        }
    }

    /**
     * @param e an I/O failure
     * @return a short reason that does not consist of a bare path (as {@link FileSystemException}'s messages may)
     */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException fse) {
            String why = fse.getReason();
            String kind = switch (e.getClass().getSimpleName()) {
                case "AccessDeniedException" -> "permission denied";
                case "NoSuchFileException" -> "no such file or folder";
                case "DirectoryNotEmptyException" -> "a folder that is not empty is in the way";
                case "FileAlreadyExistsException" -> "it already exists";
                case "NotDirectoryException" -> "not a folder";
                default -> e.getClass().getSimpleName();
            };
            return why == null ? kind + " (" + fse.getFile() + ")" : why + " (" + fse.getFile() + ")";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** A write in progress; see {@link #open(Path)}. */
    public static final class Pending implements AutoCloseable {
        private final Path target;
        private final Path shown;
        private final Path tmp;
        private final OutputStream out;
        private volatile boolean done;

        private Pending(Path target, Path shown, Path tmp, OutputStream out) {
            this.target = target;
            this.shown = shown;
            this.tmp = tmp;
            this.out = out;
        }

        /** @return the stream to write the content to; do not close it */
        public OutputStream stream() {
            return out;
        }

        /**
         * Flushes the content to the disk and renames it onto the target.
         *
         * @throws IOException naming the file when that fails (the previous file is then unchanged)
         */
        public void commit() throws IOException {
            if (done) {
                throw new IllegalStateException("already committed or abandoned: " + shown);
            }
            done = true;
            OPEN.remove(this);
            try {
                out.flush();
                if (out instanceof BufferedOutputStream) {
                    // make the content durable before the rename publishes it
                    out.close();
                    try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException | RuntimeException e) {
                discard();
                throw new IOException("cannot write " + shown + ": "
                        + (e instanceof IOException io ? reason(io) : String.valueOf(e.getMessage()))
                        + "; the previous content, if any, is unchanged", e);
            }
        }

        /** Abandons the write unless it was committed: the temporary file is removed. */
        @Override
        public void close() {
            if (!done) {
                done = true;
                OPEN.remove(this);
                discard();
            }
        }

        private void discard() {
            try {
                out.close();
            } catch (IOException e) {
                // the write is abandoned anyway; the file is removed below
            }
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the temporary file " + tmp, e);
            }
        }
    }
}

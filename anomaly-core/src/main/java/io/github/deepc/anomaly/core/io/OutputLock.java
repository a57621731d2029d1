package io.github.deepc.anomaly.core.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on an output (a file or a folder), so that a second writer is refused instead of interleaving
 * with the first. The lock is an operating-system file lock on a hidden empty file beside the output
 * ({@code .NAME.lock}; for a folder, {@code .anomaly.lock} inside it), held until {@link #close()} and released by
 * the operating system when the process dies, so a killed writer never leaves the output locked. The lock file is
 * left in place: deleting it would let a third process lock a new file while a second still holds the old one.
 */
public final class OutputLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param file an output file (need not exist yet; its folder is created)
     * @return the held lock
     * @throws IOException naming the output when another writer holds it or the lock file cannot be created
     */
    public static OutputLock forFile(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        return acquire(abs.getParent().resolve("." + abs.getFileName() + ".lock"), file);
    }

    /**
     * @param folder an output folder (created when missing)
     * @return the held lock
     * @throws IOException naming the output when another writer holds it or the lock file cannot be created
     */
    public static OutputLock forFolder(Path folder) throws IOException {
        return acquire(folder.toAbsolutePath().resolve(".anomaly.lock"), folder);
    }

    private static OutputLock acquire(Path lockFile, Path output) throws IOException {
        try {
            Files.createDirectories(lockFile.getParent());
        } catch (IOException e) {
            throw new IOException("cannot create the folder for " + output + ": " + AtomicFiles.reason(e), e);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("cannot lock " + output + ": " + AtomicFiles.reason(e), e);
        }
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by this same process
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot lock " + output + ": " + AtomicFiles.reason(e), e);
        }
        if (l == null) {
            ch.close();
            throw new IOException(output + " is being written by another process (it holds " + lockFile
                    + "); wait for it to finish or choose another output");
        }
        return new OutputLock(ch, l);
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}

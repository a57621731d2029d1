package io.github.deepc.anomaly.core.io;

import io.github.deepc.anomaly.core.model.Checkpointing;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Checkpointing} in a file, replaced atomically after every epoch ({@link AtomicFiles}): a killed training
 * leaves the previous epoch's checkpoint intact. The file holds a magic number, a format version, the caller's run
 * description (e.g. the command line's training arguments), the model's key, the epochs finished, the model's state
 * and a CRC-32 of everything before it (big-endian). A checkpoint is read only when resuming; it is checked whole
 * (length, checksum) before the model sees any of it, and refused, with a message saying why, when truncated,
 * corrupt, or saved under another run description or key. An ensemble member's checkpoints ({@link #part}) go to a
 * file beside this one. {@link #delete()} removes them all once the trained detector is safely saved.
 */
public final class FileCheckpoints implements Checkpointing {
    private static final Logger LOG = LoggerFactory.getLogger(FileCheckpoints.class);
    private static final int MAGIC = 0x414e434b; // "ANCK"
    private static final int VERSION = 1;
    /** The longest run description or key a checkpoint may declare (a bound against corrupt lengths). */
    private static final int MAX_TEXT = 1 << 20;

    private final Path file;
    private final String run;
    private final boolean resume;
    private final List<FileCheckpoints> parts = new ArrayList<>();

    /**
     * @param file   the checkpoint file
     * @param run    what the caller's run is (e.g. its arguments); a checkpoint saved with another one is refused
     * @param resume whether {@link #restore} reads an existing checkpoint (else training starts over and the first
     *               save replaces it)
     */
    public FileCheckpoints(Path file, String run, boolean resume) {
        this.file = Objects.requireNonNull(file, "file");
        this.run = Objects.requireNonNull(run, "run");
        this.resume = resume;
    }

    /** @return the checkpoint file */
    public Path file() {
        return file;
    }

    /** @return whether this or any part's checkpoint file exists */
    public synchronized boolean exists() {
        return Files.exists(file) || parts.stream().anyMatch(FileCheckpoints::exists);
    }

    @Override
    public void save(String key, int epoch, Body body) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        CRC32 crc = new CRC32();
        DataOutputStream d = new DataOutputStream(new CheckedOutputStream(buffer, crc));
        d.writeInt(MAGIC);
        d.writeInt(VERSION);
        writeText(d, run);
        writeText(d, key);
        d.writeInt(epoch);
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        DataOutputStream s = new DataOutputStream(state);
        body.write(s);
        s.flush();
        d.writeLong(state.size());
        state.writeTo(d);
        d.flush();
        new DataOutputStream(buffer).writeInt((int) crc.getValue());
        AtomicFiles.write(file, buffer.toByteArray());
        LOG.debug("checkpoint after epoch {} saved to {}", epoch, file);
    }

    @Override
    public int restore(String key, Reader reader) throws IOException {
        if (!resume) {
            return 0;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            LOG.info("no checkpoint at {} to resume from: training from the start", file);
            return 0;
        }
        if (bytes.length < 4) {
            throw corrupt("it is truncated (" + bytes.length + " bytes)");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ((bytes[bytes.length - 4] & 0xff) << 24) | ((bytes[bytes.length - 3] & 0xff) << 16)
                | ((bytes[bytes.length - 2] & 0xff) << 8) | (bytes[bytes.length - 1] & 0xff);
        DataInputStream d = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 4));
        try {
            if (d.readInt() != MAGIC) {
                throw corrupt("it is not a training checkpoint (bad magic number)");
            }
            if (stored != (int) crc.getValue()) {
                throw corrupt("it is truncated or corrupt (checksum mismatch)");
            }
            int version = d.readInt();
            if (version != VERSION) {
                throw corrupt("unsupported checkpoint format version " + version + " (supported: " + VERSION + ")");
            }
            String savedRun = readText(d);
            String savedKey = readText(d);
            if (!savedRun.equals(run)) {
                throw new IOException("checkpoint " + file + " was saved by a training run with other arguments ("
                        + savedRun + ") than this one (" + run + "); resume with the same arguments, or train "
                        + "without --resume to start over");
            }
            if (!savedKey.equals(key)) {
                throw new IOException("checkpoint " + file + " was saved by a training run with other data or model "
                        + "options (" + savedKey + ") than this one (" + key + "); resume with the same data, or "
                        + "train without --resume to start over");
            }
            int epoch = d.readInt();
            long length = d.readLong();
            if (epoch < 1 || length != d.available()) {
                throw corrupt("invalid epoch " + epoch + " or state length " + length);
            }
            reader.read(d);
            if (d.available() != 0) {
                throw corrupt(d.available() + " bytes of state left unread");
            }
            LOG.info("resuming from the checkpoint after epoch {} ({})", epoch, file);
            return epoch;
        } catch (EOFException e) {
            throw corrupt("it ends early");
        }
    }

    private IOException corrupt(String why) {
        return new IOException("cannot resume from checkpoint " + file + ": " + why + "; delete it, or train without "
                + "--resume to start over");
    }

    @Override
    public boolean resuming() {
        return resume;
    }

    @Override
    public synchronized FileCheckpoints part(String name) {
        if (!name.matches("[a-z0-9-]{1,40}")) {
            throw new IllegalArgumentException("checkpoint part names are 1 to 40 of a-z, 0-9 and '-', got '" + name
                    + "'");
        }
        String base = file.getFileName().toString();
        int dot = base.lastIndexOf('.');
        String partName = dot > 0 ? base.substring(0, dot) + "-" + name + base.substring(dot) : base + "-" + name;
        FileCheckpoints p = new FileCheckpoints(file.resolveSibling(partName), run, resume);
        parts.add(p);
        return p;
    }

    /**
     * Removes the checkpoint files (this one's and its parts'), e.g. once the trained detector is saved.
     *
     * @throws IOException naming a file that cannot be removed
     */
    public synchronized void delete() throws IOException {
        for (FileCheckpoints p : parts) {
            p.delete();
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new IOException("cannot remove the checkpoint " + file + ": " + AtomicFiles.reason(e), e);
        }
    }

    private static void writeText(DataOutputStream d, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        d.writeInt(b.length);
        d.write(b);
    }

    private String readText(DataInputStream d) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > MAX_TEXT || n > d.available()) {
            throw corrupt("invalid text length " + n);
        }
        byte[] b = new byte[n];
        d.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "checkpoints in " + file + (resume ? " (resuming)" : "");
    }
}

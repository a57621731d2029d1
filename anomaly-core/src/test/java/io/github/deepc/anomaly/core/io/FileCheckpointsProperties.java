package io.github.deepc.anomaly.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Checkpoint files: what is saved is read back exactly; a checkpoint cut at any length, with any byte changed, or
 * saved under another run or key is refused with a message naming the file, before the model reads anything.
 */
class FileCheckpointsProperties {
    private static Path dir() throws IOException {
        return Files.createTempDirectory("checkpoints");
    }

    private static FileCheckpoints saved(Path file, byte[] state, int epoch) throws IOException {
        FileCheckpoints c = new FileCheckpoints(file, "run", false);
        c.save("key", epoch, out -> out.write(state));
        return c;
    }

    @Property(tries = 50)
    void whatIsSavedIsReadBack(@ForAll @Size(max = 300) byte[] state, @ForAll @IntRange(min = 1, max = 999) int epoch)
            throws IOException {
        Path file = dir().resolve("a.checkpoint");
        saved(file, state, epoch);
        byte[][] read = new byte[1][];
        int done = new FileCheckpoints(file, "run", true).restore("key", in -> read[0] = in.readAllBytes());
        assertEquals(epoch, done);
        assertArrayEquals(state, read[0]);
        assertEquals(0, new FileCheckpoints(file, "run", false).restore("key", in -> {
            throw new AssertionError("not resuming: nothing is read");
        }));
        remove(file);
    }

    private static void remove(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.delete(file.getParent());
    }

    @Property(tries = 60)
    void aCutOrChangedCheckpointIsRefusedBeforeAnythingIsRead(@ForAll @Size(min = 1, max = 200) byte[] state,
                                                              @ForAll @IntRange(min = 0, max = 10_000) int where,
                                                              @ForAll boolean cut) throws IOException {
        Path file = dir().resolve("b.checkpoint");
        saved(file, state, 3);
        byte[] whole = Files.readAllBytes(file);
        int at = where % whole.length;
        byte[] damaged = cut ? Arrays.copyOf(whole, at) : whole.clone();
        if (!cut) {
            damaged[at] ^= (byte) (1 + where % 255);
        }
        Files.write(file, damaged);
        IOException e = assertThrows(IOException.class, () -> new FileCheckpoints(file, "run", true)
                .restore("key", in -> {
                    throw new AssertionError("a damaged checkpoint must not reach the model");
                }));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        remove(file);
    }

    @Example
    void anotherRunOrKeyIsRefusedSayingWhich() throws IOException {
        Path file = dir().resolve("c.checkpoint");
        saved(file, new byte[] {1, 2, 3}, 2);
        IOException run = assertThrows(IOException.class,
                () -> new FileCheckpoints(file, "other run", true).restore("key", in -> { }));
        assertTrue(run.getMessage().contains("other arguments"), run.getMessage());
        IOException key = assertThrows(IOException.class,
                () -> new FileCheckpoints(file, "run", true).restore("other key", in -> { }));
        assertTrue(key.getMessage().contains("other data or model options"), key.getMessage());
        remove(file);
    }

    @Example
    void aMissingCheckpointStartsOverAndPartsAreDeletedWithTheWhole() throws IOException {
        Path d = dir();
        FileCheckpoints c = new FileCheckpoints(d.resolve("x.detector.checkpoint"), "run", true);
        assertEquals(0, c.restore("key", in -> {
            throw new AssertionError("nothing to read");
        }));
        FileCheckpoints member = c.part("member-1");
        c.save("key", 1, out -> out.writeInt(7));
        member.save("key", 1, out -> out.writeInt(8));
        assertEquals(d.resolve("x.detector-member-1.checkpoint"), member.file());
        assertTrue(c.exists());
        c.delete();
        assertFalse(Files.exists(c.file()));
        assertFalse(Files.exists(member.file()));
        try (var s = Files.list(d)) {
            assertEquals(0, s.count(), "no temporary files left");
        }
        Files.delete(d);
    }
}

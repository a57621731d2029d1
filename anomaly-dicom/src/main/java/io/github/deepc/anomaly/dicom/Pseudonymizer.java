package io.github.deepc.anomaly.dicom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces patient ids with salted pseudonyms ({@code anon-} and 16 hex digits of HMAC-SHA256(salt, id)): the
 * same patient gets the same pseudonym under one salt, so patient-grouped splits still work, while nobody
 * without the salt can test a guessed id against it. The salt stays with the user (a file in their home, by
 * default {@code ~/.config/xray-anomaly/pseudonym-salt}), never in a detector or score file.
 */
public final class Pseudonymizer {
    private static final int SALT_BYTES = 32;
    private final byte[] salt;

    private Pseudonymizer(byte[] salt) {
        if (salt.length < 16) {
            throw new IllegalArgumentException("a pseudonym salt needs at least 16 bytes, got " + salt.length);
        }
        this.salt = salt.clone();
    }

    /**
     * @param salt at least 16 secret bytes
     * @return a pseudonymizer with this salt
     */
    public static Pseudonymizer withSalt(byte[] salt) {
        return new Pseudonymizer(Objects.requireNonNull(salt, "salt"));
    }

    /** @return {@code ~/.config/xray-anomaly/pseudonym-salt} */
    public static Path defaultSaltFile() {
        return Path.of(System.getProperty("user.home"), ".config", "xray-anomaly", "pseudonym-salt");
    }

    /**
     * Reads the salt file, creating it with 32 random bytes (readable by the owner only) when it does not exist.
     *
     * @param saltFile where the salt is kept
     * @return the pseudonymizer
     * @throws IOException when the file cannot be read or created, or is too short to be a salt
     */
    public static Pseudonymizer fromSaltFile(Path saltFile) throws IOException {
        if (!Files.exists(saltFile)) {
            byte[] salt = new byte[SALT_BYTES];
            new SecureRandom().nextBytes(salt);
            Path parent = saltFile.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".salt-", ".tmp");
            try {
                restrictToOwner(tmp);
                Files.writeString(tmp, HexFormat.of().formatHex(salt) + "\n", StandardCharsets.US_ASCII);
                // a concurrent first run may have won the race: keep its salt
                try {
                    Files.move(tmp, saltFile, StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // fall through and read the winner's salt
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        String text = Files.readString(saltFile, StandardCharsets.US_ASCII).trim();
        try {
            return new Pseudonymizer(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            throw new IOException("pseudonym salt file " + saltFile + " must hold at least 32 hex digits: "
                    + e.getMessage(), e);
        }
    }

    private static void restrictToOwner(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the home folder's own protection applies
        }
    }

    /**
     * @param id a patient id (or any identifier)
     * @return its pseudonym, {@code anon-} and 16 lowercase hex digits
     */
    public String pseudonym(String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            byte[] h = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
            return "anon-" + HexFormat.of().formatHex(h, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
        }
    }
}

package io.github.deepc.anomaly.dicom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs the external programs the conformance tests compare against (pydicom, dcmtk); absent ones are empty. */
final class ExternalTools {
    private ExternalTools() {
    }

    /** @return a python3 that imports pydicom and numpy (Debian's first: pyenv shims may lack them) */
    static Optional<String> pythonWithPydicom() {
        for (String py : List.of("/usr/bin/python3", "python3")) {
            try {
                if (run(Path.of("."), 60, py, "-c", "import pydicom, numpy").exitCode == 0) {
                    return Optional.of(py);
                }
            } catch (IOException e) {
                // not installed: try the next
            }
        }
        return Optional.empty();
    }

    /** @return whether a program is on the PATH */
    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    record Result(int exitCode, String output) {
    }

    static Result run(Path dir, int timeoutSeconds, String... command) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Runs a command and fails with its output when it does not succeed. */
    static void runOrFail(Path dir, String... command) throws IOException {
        Result r = run(dir, 120, command);
        if (r.exitCode != 0) {
            throw new IOException(String.join(" ", new ArrayList<>(List.of(command))) + " failed (" + r.exitCode + "): "
                    + r.output);
        }
    }
}

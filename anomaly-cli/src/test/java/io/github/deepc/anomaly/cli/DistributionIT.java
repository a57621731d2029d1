package io.github.deepc.anomaly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.eval.scores.ScoresCsv;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: the built CLI distribution works wherever it is unpacked. Runs in the build's integration-test phase
 * (after {@code package} has built {@code target/anomaly-<version>.tar.gz} and {@code .zip}; the CLI module's pom
 * passes their paths): the tar.gz is unpacked with {@code tar} (which keeps {@code bin/anomaly} executable) into a
 * temporary folder, which is then moved elsewhere, so nothing can lean on the build tree; {@code bin/anomaly} then
 * prints its help, trains a detector on generated images, scores them, and lists a plugin whose jar (compiled here
 * from source) is dropped into {@code plugins/}.
 */
class DistributionIT {
    private static final String PLUGIN_ID = "dist-test-identity";

    @TempDir
    static Path tmp;
    private static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        String archive = System.getProperty("anomaly.dist.tgz");
        assumeTrue(archive != null && Files.isRegularFile(Path.of(archive)),
                "the distribution archive is not built (run through 'mvn verify', which packages it first): " + archive);
        Path unpacked = Files.createDirectories(tmp.resolve("unpacked"));
        Process tar = new ProcessBuilder("tar", "-xzf", archive, "-C", unpacked.toString()).inheritIO().start();
        assertTrue(tar.waitFor(120, TimeUnit.SECONDS) && tar.exitValue() == 0, "tar could not unpack " + archive);
        Path top;
        try (Stream<Path> s = Files.list(unpacked)) {
            top = s.findFirst().orElseThrow();
        }
        assertTrue(top.getFileName().toString().startsWith("anomaly-"), top.toString());
        // moved after unpacking: the tool must find lib/ and plugins/ relative to where it is now
        home = Files.move(top, Files.createDirectories(tmp.resolve("moved/elsewhere")).resolve(top.getFileName()));
        assertTrue(Files.isExecutable(home.resolve("bin/anomaly")), "bin/anomaly must be executable");
    }

    /** What one run of {@code bin/anomaly} printed and returned. */
    private record Run(int code, String output) {
    }

    private static Run anomaly(String... args) throws Exception {
        return anomaly(false, args);
    }

    /**
     * @param relaunch whether the tool may relaunch itself in a child JVM as it does from a user's shell (slower:
     *                 two JVM starts); otherwise {@code OMP_PROC_BIND=false} keeps it in one
     */
    private static Run anomaly(boolean relaunch, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/anomaly").toString());
        command.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "run", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // as from a user's shell: this JVM's java, none of the test JVM's settings
        pb.environment().put("JAVA", ProcessHandle.current().info().command().orElse("java"));
        if (relaunch) {
            pb.environment().remove("OMP_PROC_BIND");
        } else {
            pb.environment().put("OMP_PROC_BIND", "false");
        }
        pb.environment().remove("CLASSPATH");
        pb.environment().remove(ThreadBindingLauncher.MARKER);
        pb.environment().remove(ThreadBindingLauncher.PARENT_PID);
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", args));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void theZipHoldsWhatTheTarHolds() throws IOException {
        String zip = System.getProperty("anomaly.dist.zip");
        assumeTrue(zip != null && Files.isRegularFile(Path.of(zip)), "the zip is not built: " + zip);
        Set<String> inZip = new TreeSet<>();
        try (ZipFile z = new ZipFile(zip)) {
            z.stream().filter(e -> !e.isDirectory()).forEach(e -> inZip.add(e.getName()));
        }
        Set<String> unpacked = new TreeSet<>();
        try (Stream<Path> s = Files.walk(home)) {
            s.filter(Files::isRegularFile).forEach(f -> unpacked.add(home.getFileName() + "/"
                    + home.relativize(f).toString().replace('\\', '/')));
        }
        unpacked.removeIf(n -> n.contains("/plugins/dist-test")); // another test may have added its plugin already
        assertEquals(unpacked, inZip);
        assertTrue(inZip.contains(home.getFileName() + "/bin/anomaly.bat"), inZip.toString());
        assertTrue(inZip.contains(home.getFileName() + "/lib/anomaly-cli.jar"), inZip.toString());
    }

    @Test
    void helpTrainAndScoreWorkFromTheUnpackedDistribution() throws Exception {
        Run help = anomaly("--help");
        assertEquals(0, help.code(), help.output());
        assertTrue(help.output().contains("train") && help.output().contains("score"), help.output());

        Path data = tmp.resolve("data");
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(data, 30, 6, 3);
        Path detector = tmp.resolve("out/pca.detector");
        Run train = anomaly("train", "--data", data.toString(), "--normal-class", "NORMAL", "--size", "32", "--out",
                detector.toString());
        assertEquals(0, train.code(), train.output());
        assertTrue(Files.isRegularFile(detector), train.output());

        Path scores = tmp.resolve("out/scores.csv");
        Run score = anomaly("score", "--detector", detector.toString(), "--data", data.toString(), "--out",
                scores.toString());
        assertEquals(0, score.code(), score.output());
        assertEquals(36, ScoresCsv.read(scores).size(), score.output());
    }

    @Test
    void aPluginJarInPluginsIsListed() throws Exception {
        Path jar = home.resolve("plugins/dist-test-plugin.jar");
        buildPluginJar(jar);
        try {
            // relaunched as from a shell: the child JVM must keep plugins/ on its class path too
            Run after = anomaly(true, "plugins");
            assertEquals(0, after.code(), after.output());
            assertTrue(after.output().contains(PLUGIN_ID), after.output());
        } finally {
            Files.delete(jar);
        }
        // the same jar from a folder named with --plugins
        Path elsewhere = Files.createDirectories(tmp.resolve("my-plugins"));
        buildPluginJar(elsewhere.resolve("p.jar"));
        Run named = anomaly("plugins", "--plugins", elsewhere.toString());
        assertEquals(0, named.code(), named.output());
        assertTrue(named.output().contains(PLUGIN_ID), named.output());
    }

    /** Compiles a one-class stage plugin against the distribution's own jars and packs it with its service file. */
    private static void buildPluginJar(Path jar) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assumeTrue(javac != null, "no Java compiler in this JDK: cannot build the plugin jar");
        Path src = Files.createTempDirectory(tmp, "plugin-src");
        Path source = src.resolve("disttest/IdentityStageProvider.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package disttest;

                import io.github.deepc.anomaly.core.pipeline.PreprocessingStage;
                import io.github.deepc.anomaly.core.spi.ParameterSpec;
                import io.github.deepc.anomaly.core.spi.Parameters;
                import io.github.deepc.anomaly.core.spi.StageProvider;
                import java.util.List;

                public final class IdentityStageProvider implements StageProvider {
                    public String id() { return "%s"; }
                    public String description() { return "test plugin: leaves the image as it is"; }
                    public List<ParameterSpec> parameters() { return List.of(); }
                    public PreprocessingStage create(Parameters params) { return (image, context) -> image; }
                }
                """.formatted(PLUGIN_ID));
        Path classes = Files.createDirectories(src.resolve("classes"));
        // the compiler API does not expand class-path wildcards as the java launcher does: name the jars
        String libs;
        try (Stream<Path> s = Files.list(home.resolve("lib"))) {
            libs = String.join(java.io.File.pathSeparator, s.map(Path::toString).filter(n -> n.endsWith(".jar"))
                    .toList());
        }
        int rc = javac.run(null, null, null, "-cp", libs, "-d", classes.toString(), source.toString());
        assertEquals(0, rc, "the plugin source did not compile");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry("disttest/IdentityStageProvider.class"));
            j.write(Files.readAllBytes(classes.resolve("disttest/IdentityStageProvider.class")));
            j.closeEntry();
            j.putNextEntry(new JarEntry("META-INF/services/io.github.deepc.anomaly.core.spi.StageProvider"));
            j.write("disttest.IdentityStageProvider\n".getBytes(StandardCharsets.UTF_8));
            j.closeEntry();
        }
    }
}

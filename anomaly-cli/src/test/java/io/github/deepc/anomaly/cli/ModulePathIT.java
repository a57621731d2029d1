package io.github.deepc.anomaly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library's jars resolve as modules: every jar the CLI ships ({@code anomaly-cli.jar} and the {@code anomaly-*}
 * jars in {@code target/lib}) names its module (an {@code Automatic-Module-Name} or a {@code module-info.class}),
 * the names are unique, and {@code java --module-path JARS --add-modules ALL-MODULE-PATH --list-modules} resolves
 * them all, which fails when two jars hold the same package (a split package). Runs in the build's
 * integration-test phase, after {@code package} has built the jar and copied its dependencies (the CLI module's pom
 * passes their paths). Third-party jars are not part of the check: only the library's own packages are its to keep
 * apart. A control case builds two jars sharing a package and checks that the same command refuses them.
 */
class ModulePathIT {
    /** The library modules the CLI ships, at the least: the check must not pass on an empty or partial set. */
    private static final List<String> EXPECTED = List.of("api", "core", "preprocess", "dicom", "models", "presets",
            "phantoms", "eval", "server", "cli");
    private static final String PREFIX = "io.github.deepc.anomaly.";

    @TempDir
    Path tmp;

    private static List<Path> libraryJars() throws IOException {
        String cliJar = System.getProperty("anomaly.cli.jar");
        String lib = System.getProperty("anomaly.cli.lib");
        assumeTrue(cliJar != null && Files.isRegularFile(Path.of(cliJar)) && lib != null && Files.isDirectory(Path.of(lib)),
                "the CLI jar and its lib folder are not built (run through 'mvn verify', which packages them first): "
                        + cliJar + ", " + lib);
        List<Path> jars = new ArrayList<>();
        jars.add(Path.of(cliJar));
        try (Stream<Path> s = Files.list(Path.of(lib))) {
            s.filter(p -> p.getFileName().toString().startsWith("anomaly-") && p.toString().endsWith(".jar"))
                    .sorted().forEach(jars::add);
        }
        return jars;
    }

    /** @return the jar's module name: from {@code module-info.class} or the manifest's Automatic-Module-Name */
    static Optional<String> declaredModuleName(Path jar) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            if (f.getEntry("module-info.class") != null) {
                return Optional.of(java.lang.module.ModuleFinder.of(jar).findAll().iterator().next().descriptor().name());
            }
            Manifest m = f.getManifest();
            return Optional.ofNullable(m == null ? null : m.getMainAttributes().getValue("Automatic-Module-Name"));
        }
    }

    /** Runs {@code java --module-path JARS --add-modules ALL-MODULE-PATH --list-modules}: exit code and output. */
    private static Map.Entry<Integer, String> listModules(List<Path> jars) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String modulePath = String.join(File.pathSeparator, jars.stream().map(Path::toString).toList());
        Process p = new ProcessBuilder(java.toString(), "--module-path", modulePath, "--add-modules", "ALL-MODULE-PATH",
                "--list-modules").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "java --list-modules did not finish");
        return Map.entry(p.exitValue(), out);
    }

    @Test
    void everyLibraryJarNamesItsModuleAndAllResolveTogetherOnTheModulePath() throws Exception {
        List<Path> jars = libraryJars();
        Map<String, Path> byName = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Path jar : jars) {
            Optional<String> name = declaredModuleName(jar);
            if (name.isEmpty()) {
                problems.add(jar.getFileName() + " has no module name (no Automatic-Module-Name, no module-info.class)");
            } else if (byName.putIfAbsent(name.get(), jar) != null) {
                problems.add(jar.getFileName() + " and " + byName.get(name.get()).getFileName() + " are both module "
                        + name.get());
            }
        }
        assertEquals(List.of(), problems);
        TreeSet<String> missing = new TreeSet<>();
        for (String m : EXPECTED) {
            if (!byName.containsKey(PREFIX + m)) {
                missing.add(PREFIX + m);
            }
        }
        assertEquals(new TreeSet<>(), missing, "library modules the CLI should ship; found " + byName.keySet());

        Map.Entry<Integer, String> run = listModules(jars);
        assertEquals(0, run.getKey(), "the library's jars do not resolve as modules (a split package?):\n" + run.getValue());
        for (Map.Entry<String, Path> e : byName.entrySet()) {
            // a line per module: "NAME[@VERSION] file:///.../JAR automatic"
            assertTrue(run.getValue().lines().anyMatch(l -> l.split("[@ ]")[0].equals(e.getKey()) && l.contains(
                    e.getValue().getFileName().toString())), e.getKey() + " (" + e.getValue().getFileName()
                    + ") not listed:\n" + run.getValue());
        }
    }

    @Test
    void theCheckCatchesASplitPackageAndAJarWithoutAModuleName() throws Exception {
        Path a = jar("split-a.jar", "split.a", "shared/pkg/A.class");
        Path b = jar("split-b.jar", "split.b", "shared/pkg/B.class");
        Map.Entry<Integer, String> run = listModules(List.of(a, b));
        assertNotEquals(0, run.getKey(), run.getValue());
        assertTrue(run.getValue().contains("shared.pkg"), run.getValue());
        assertEquals(0, listModules(List.of(a)).getKey(), "one of them alone resolves");
        assertEquals(Optional.of("split.a"), declaredModuleName(a));
        assertEquals(Optional.empty(), declaredModuleName(jar("nameless.jar", null, "other/C.class")));
    }

    /** A jar holding one (empty) class file entry: enough for the module system to see its package. */
    private Path jar(String file, String moduleName, String entry) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (moduleName != null) {
            m.getMainAttributes().putValue("Automatic-Module-Name", moduleName);
        }
        Path jar = tmp.resolve(file);
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, m)) {
            out.putNextEntry(new JarEntry(entry));
            out.closeEntry();
        }
        return jar;
    }
}

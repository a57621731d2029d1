package io.github.deepc.anomaly.models.gan;

import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.DataSets;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.phantom.HandPhantomGenerator;
import io.github.deepc.anomaly.core.phantom.PhantomDataSetWriter;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class GenerateGanLegacyFilesTmpTest {
    @Test
    void generate() throws Exception {
        Path out = Path.of(System.getProperty("legacy.out", "/tmp/legacy13gan"));
        Files.createDirectories(out);
        new PhantomDataSetWriter(HandPhantomGenerator.ofSize(32)).write(out.resolve("data"), 24, 6, 5);
        DataSet ds = DataSets.detect(out.resolve("data"), PhantomDataSetWriter.NORMAL_DIR);
        List<Sample> probe = new ArrayList<>(ds.normals().subList(18, 24));
        probe.addAll(ds.abnormals());
        // alpha-gan at its defaults (attention, spectral norm) was SameDiff-only before issue 13: its file is written
        // with engine=samediff, which is then taken out of detector.json (the old files named no engine); the state
        // bytes are what the SameDiff code wrote
        String[][] specs = {
            {"dcgan", "discriminator", "epochs", "4", "batch-size", "6", "latent", "8", "channels", "4", "generator-learning-rate", "0.002", "discriminator-learning-rate", "0.002"},
            {"bigan", "discriminator", "epochs", "4", "batch-size", "6", "latent", "8", "channels", "4", "generator-learning-rate", "0.002", "discriminator-learning-rate", "0.002"},
            {"alpha-gan", "discriminator", "epochs", "4", "batch-size", "6", "latent", "8", "channels", "4", "generator-learning-rate", "0.002", "discriminator-learning-rate", "0.002", "engine", "samediff"},
        };
        for (String[] s : specs) {
            if (!s[0].equals("alpha-gan")) continue;
            String[] kv = java.util.Arrays.copyOfRange(s, 2, s.length);
            try (AnomalyDetector d = AnomalyDetector.builder().pipeline(List.of(PluginSpec.of("resize", "size", "32"), PluginSpec.of("pad", "size", "32"), PluginSpec.of("normalize")))
                    .model(PluginSpec.of(s[0], kv)).scorer(PluginSpec.of(s[1])).seed(7).build()) {
                d.fit(ds.normals().subList(0, 18), ProgressListener.NONE);
                d.save(out.resolve(s[0] + ".detector"));
                if (s[0].equals("alpha-gan")) {
                    dropEngine(out.resolve(s[0] + ".detector"));
                }
                StringBuilder sb = new StringBuilder();
                for (var det : d.scoreAll(probe, ProgressListener.NONE).results()) {
                    sb.append(ds.root().relativize(det.sample().path())).append(',')
                            .append(String.format(Locale.ROOT, "%.9g", det.score())).append('\n');
                }
                Files.writeString(out.resolve(s[0] + ".scores.csv"), sb.toString());
            }
        }
    }

    /** Rewrites a detector file without the model's engine parameter (entries otherwise as they were). */
    private static void dropEngine(Path file) throws Exception {
        java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (var zin = new java.util.zip.ZipInputStream(Files.newInputStream(file))) {
            for (var e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
                entries.put(e.getName(), zin.readAllBytes());
            }
        }
        String json = new String(entries.get("detector.json"), java.nio.charset.StandardCharsets.UTF_8);
        String without = json.replaceAll(",\\s*\"engine\" : \"samediff\"", "")
                .replaceAll("\"engine\" : \"samediff\",\\s*", "");
        if (without.equals(json) || without.contains("engine")) {
            throw new IllegalStateException("no engine parameter to drop in " + json);
        }
        entries.put("detector.json", without.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (var zout = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            for (var e : entries.entrySet()) {
                zout.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                zout.write(e.getValue());
                zout.closeEntry();
            }
        }
    }
}
